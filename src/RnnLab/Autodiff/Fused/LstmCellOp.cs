using System.Runtime.CompilerServices;

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
        CellOps.ProjectHidden(batch, h.Data, 0, wHh, z, 0);                           // z += h W_hhᵀ

        var iT = Uninitialized(batch * hidden); var fT = Uninitialized(batch * hidden);   // every value is written below
        var gT = Uninitialized(batch * hidden); var oT = Uninitialized(batch * hidden);
        var cT = Uninitialized(batch * hidden); var hT = Uninitialized(batch * hidden);
        var tanhC = RecycledArrays.Uninitialized(batch * hidden);                                  // kept for backward only
        double[] cPrev = c.Data, bi = bIh.Data, bh = bHh.Data;
        Parallelism.For(batch, gates * 16L, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int zr = b * gates, r = b * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    int q = r + j;
                    var (i, f, g, o, cNew, tc) = Unit(z, zr, j, hidden, bi, bh, cPrev[q]);
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
                        double f = fT[q], o = oT[q], tc = tanhC[q];
                        double dh = dH?[q] ?? 0;
                        double dc = dC[q] += dh * o * (1 - tc * tc);                   // dc' += dh ⊙ o ⊙ (1 − tanh² c')
                        if (dCPrev is not null) dCPrev[q] += dc * f;                   // dc = dc' ⊙ f
                        UnitBackward(dh, dc, iT[q], f, gT[q], o, tc, cPrev[q], dI, dF, dG, dO, q, dz, zr, j, hidden);
                    }
                }
            });
            CellOps.Backward(dz, dz, x, h, wIh, wHh, bIh, bHh);                        // the four products and the bias sums
            CellOps.Return(dz);
        }, release: () => RecycledArrays.Return(tanhC));
        return (hOut, cOut, iOut, fOut, gOut, oOut);
    }

    private static double[] Uninitialized(int length) => RecycledArrays.Uninitialized(length);

    /// <summary>
    /// Unit j of one row: z[zr + k·H + j] holds gate k's pre-activation without biases; c_prev is c_{t−1}.
    /// Returns i, f, g, o, c_t and tanh c_t. The sequence op (<see cref="LstmSequenceOp"/>) calls it too: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double I, double F, double G, double O, double C, double TanhC) Unit(
        double[] z, int zr, int j, int hidden, double[] bi, double[] bh, double cPrev)
    {
        double i = CellOps.Sigmoid(z[zr + j] + (bi[j] + bh[j]));                                          // i = σ(z_i)
        double f = CellOps.Sigmoid(z[zr + hidden + j] + (bi[hidden + j] + bh[hidden + j]));               // f = σ(z_f)
        double g = Math.Tanh(z[zr + 2 * hidden + j] + (bi[2 * hidden + j] + bh[2 * hidden + j]));         // g = tanh(z_g)
        double o = CellOps.Sigmoid(z[zr + 3 * hidden + j] + (bi[3 * hidden + j] + bh[3 * hidden + j]));   // o = σ(z_o)
        double c = f * cPrev + i * g;                                                                     // c' = f ⊙ c + i ⊙ g
        return (i, f, g, o, c, Math.Tanh(c));
    }

    /// <summary>
    /// ∂L/∂z of unit j of one row into dz[zr + k·H + j], from the totals dh = ∂L/∂h' and dc = ∂L/∂c' (dc already holding
    /// the path through h'). A gate's own gradient array (given only when another op used that gate) gains this part
    /// at index q, and its total is what flows on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void UnitBackward(double dh, double dc, double i, double f, double g, double o, double tc, double cPrev,
                                      double[]? dI, double[]? dF, double[]? dG, double[]? dO, int q, double[] dz, int zr, int j, int hidden)
    {
        double di = dc * g;                                            // ∂c'/∂i = g
        if (dI is not null) di = dI[q] += di;
        double df = dc * cPrev;                                        // ∂c'/∂f = c
        if (dF is not null) df = dF[q] += df;
        double dg = dc * i;                                            // ∂c'/∂g = i
        if (dG is not null) dg = dG[q] += dg;
        double dO_ = dh * tc;                                          // ∂h'/∂o = tanh c'
        if (dO is not null) dO_ = dO[q] += dO_;
        dz[zr + j] = di * i * (1 - i);                                 // σ' = σ (1 − σ)
        dz[zr + hidden + j] = df * f * (1 - f);
        dz[zr + 2 * hidden + j] = dg * (1 - g * g);                    // tanh' = 1 − tanh²
        dz[zr + 3 * hidden + j] = dO_ * o * (1 - o);
    }
}
