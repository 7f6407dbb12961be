namespace RnnLab.Autodiff;

/// <summary>
/// One LSTM step as a single tape node (the fast path behind <c>LstmCell.Step</c>). It computes exactly the equations
/// of <c>LstmCell.Equations</c>, which stay the readable version:
/// <code>
///   z = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh                 [B, 4H], blocks i, f, g, o
///   i = σ(z_i)  f = σ(z_f)  g = tanh(z_g)  o = σ(z_o)
///   c' = f ⊙ c + i ⊙ g        h' = o ⊙ tanh(c')
/// </code>
/// but with one [B, 4H] buffer for the gates, all nonlinearities in one pass, and a backward that forms ∂L/∂z in one
/// pass and then does the four matrix products. Outputs h', c', i, f, g, o share the node, so a loss on any of them
/// (a probe of the gates, say) still reaches the weights; a gate's Grad is filled only when something used that gate.
/// </summary>
internal static class LstmCellOp
{
    public static (Tensor H, Tensor C, Tensor I, Tensor F, Tensor G, Tensor O) Forward(
        Tensor x /* [B, I] */, Tensor h /* [B, H] */, Tensor c /* [B, H] */,
        Tensor wIh /* [4H, I] */, Tensor wHh /* [4H, H] */, Tensor bIh /* [4H] */, Tensor bHh /* [4H] */)
    {
        int batch = x.Shape[0], hidden = h.Shape[1], gates = 4 * hidden;
        var z = CellOps.Rent(batch, gates);                                           // [B, 4H]
        CellOps.Project(x, wIh, z);                                                   // z  = x W_ihᵀ
        CellOps.Project(h, wHh, z);                                                   // z += h W_hhᵀ

        var iT = Uninitialized(batch * hidden); var fT = Uninitialized(batch * hidden);   // every value is written below
        var gT = Uninitialized(batch * hidden); var oT = Uninitialized(batch * hidden);
        var cT = Uninitialized(batch * hidden); var hT = Uninitialized(batch * hidden);
        var tanhC = TapeBuffers.Rent(batch * hidden);                                  // kept for backward only
        double[] cPrev = c.Data, bi = bIh.Data, bh = bHh.Data;
        Parallelism.For(batch, gates * 16L, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int zr = b * gates, r = b * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    int q = r + j;
                    double i = CellOps.Sigmoid(z[zr + j] + (bi[j] + bh[j]));
                    double f = CellOps.Sigmoid(z[zr + hidden + j] + (bi[hidden + j] + bh[hidden + j]));
                    double g = Math.Tanh(z[zr + 2 * hidden + j] + (bi[2 * hidden + j] + bh[2 * hidden + j]));
                    double o = CellOps.Sigmoid(z[zr + 3 * hidden + j] + (bi[3 * hidden + j] + bh[3 * hidden + j]));
                    double cNew = f * cPrev[q] + i * g;                                // c' = f ⊙ c + i ⊙ g
                    double tc = Math.Tanh(cNew);
                    iT[q] = i; fT[q] = f; gT[q] = g; oT[q] = o;
                    cT[q] = cNew; tanhC[q] = tc; hT[q] = o * tc;                        // h' = o ⊙ tanh(c')
                }
            }
        });
        CellOps.Return(z);

        int[] shape = [batch, hidden];                                                 // one shape array for all six outputs
        var hOut = Tensor.Wrap(hT, shape); var cOut = Tensor.Wrap(cT, shape);
        var iOut = Tensor.Wrap(iT, shape); var fOut = Tensor.Wrap(fT, shape);
        var gOut = Tensor.Wrap(gT, shape); var oOut = Tensor.Wrap(oT, shape);
        Tensor.RecordFused("LstmCell", [hOut, cOut, iOut, fOut, gOut, oOut], [x, h, c, wIh, wHh, bIh, bHh], () =>
        {
            // c'.Grad ends up total, as the composed ops leave it (it also holds the path through h'). A gate's Grad is
            // filled, and made total, only when another op used that gate (a probe's loss on it): otherwise no array is
            // allocated for it, which saves four [B, H] arrays per step in training (like PyTorch, which keeps no
            // gradient of an intermediate unless asked).
            double[]? dH = hOut.Grad;
            double[] dC = cOut.GradBuffer();
            double[]? dI = iOut.Grad, dF = fOut.Grad, dG = gOut.Grad, dO = oOut.Grad;
            double[]? dCPrev = c.RequiresGrad ? c.GradBuffer() : null;
            var dz = CellOps.Rent(batch, gates);                                      // ∂L/∂z [B, 4H]
            Parallelism.For(batch, gates * 16L, (b0, b1) =>
            {
                for (int b = b0; b < b1; b++)
                {
                    int zr = b * gates, r = b * hidden;
                    for (int j = 0; j < hidden; j++)
                    {
                        int q = r + j;
                        double i = iT[q], f = fT[q], g = gT[q], o = oT[q], tc = tanhC[q];
                        double dh = dH?[q] ?? 0;
                        double dc = dC[q] += dh * o * (1 - tc * tc);                   // dc' += dh ⊙ o ⊙ (1 − tanh² c')
                        double di = dc * g;                                            // ∂c'/∂i = g
                        if (dI is not null) di = dI[q] += di;
                        double df = dc * cPrev[q];                                     // ∂c'/∂f = c
                        if (dF is not null) df = dF[q] += df;
                        double dg = dc * i;                                            // ∂c'/∂g = i
                        if (dG is not null) dg = dG[q] += dg;
                        double dO_ = dh * tc;                                          // ∂h'/∂o = tanh c'
                        if (dO is not null) dO_ = dO[q] += dO_;
                        if (dCPrev is not null) dCPrev[q] += dc * f;                   // dc = dc' ⊙ f
                        dz[zr + j] = di * i * (1 - i);                                 // σ' = σ (1 − σ)
                        dz[zr + hidden + j] = df * f * (1 - f);
                        dz[zr + 2 * hidden + j] = dg * (1 - g * g);                    // tanh' = 1 − tanh²
                        dz[zr + 3 * hidden + j] = dO_ * o * (1 - o);
                    }
                }
            });
            CellOps.Backward(dz, dz, x, h, wIh, wHh, bIh, bHh);                        // the four products and the bias sums
            CellOps.Return(dz);
        }, release: () => TapeBuffers.Return(tanhC));
        return (hOut, cOut, iOut, fOut, gOut, oOut);
    }

    private static double[] Uninitialized(int length) => GC.AllocateUninitializedArray<double>(length);
}
