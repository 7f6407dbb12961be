namespace RnnLab.Autodiff;

/// <summary>
/// An LSTM layer's whole sequence (one layer, one direction) as one tape node: the fast path behind <c>Lstm.Forward</c>.
/// Per step s it computes exactly what <see cref="LstmCellOp"/> computes (the same <see cref="LstmCellOp.Unit"/> on the
/// same pre-activations), so the values are those of stepping the cell; see <see cref="SequenceOp"/> for the rest.
/// <code>
///   per step:  z_s = x_s W_ihᵀ + h_{s−1} W_hhᵀ;  i, f, g, o = σ, σ, tanh, σ(z_s + b_ih + b_hh)     [B, 4H]
///              c_s = f ⊙ c_{s−1} + i ⊙ g;   h_s = o ⊙ tanh(c_s)
///   backward, per step from the last:  dh_s = dY_s + dZ_{s+1} W_hh,  dc_s = dh_s ⊙ o ⊙ (1 − tanh² c_s) + dc_{s+1} ⊙ f_{s+1}
///   then once:  dW_hh += dZᵀ H_prev,  dW_ih += dZᵀ X,  db += Σ dZ,  dX = dZ W_ih
/// </code>
/// Step records: [h, c, i, f, g, o]; h's and c's Grad are always total after Backward(), a gate's only when another op
/// used that gate (as <see cref="LstmCellOp"/> leaves them).
/// </summary>
internal sealed class LstmSequenceOp : SequenceOp
{
    private readonly Tensor? _c0;
    private readonly double[] _c0Values;   // c0's values, zeros when none was given
    private readonly double[] _gates;   // [T·B, 4H]: the gates i, f, g, o; the step records read it
    private readonly double[] _c;       // [T·B, H]: c_s; the step records read it
    private readonly double[] _tanhC;   // [T·B, H]: tanh c_s, for backward only

    private LstmSequenceOp(Tensor x, bool batchFirst, bool reverse, Tensor? h0, Tensor? c0,
                           Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh)
        : base("Lstm", x, batchFirst, reverse, h0, wIh, wHh, bIh, bHh, totalCount: 2)
    {
        _c0 = c0;
        _c0Values = c0?.Data ?? RecycledArrays.Zeroed(B * H);
        _gates = RecycledArrays.Uninitialized(T * B * G);
        _c = RecycledArrays.Uninitialized(T * B * H);
        _tanhC = Scratch(T * B * H);
    }

    /// <summary>
    /// Runs the layer over x ([T, B, I], or [B, T, I] batch first) from h0, c0 ([B, H] each, zeros when null), the
    /// reverse direction from the last step back. The returned op holds the output and makes the step records.
    /// </summary>
    public static LstmSequenceOp Forward(Tensor x, bool batchFirst, bool reverse, Tensor? h0, Tensor? c0,
                                         Tensor wIh /* [4H, I] */, Tensor wHh /* [4H, H] */, Tensor bIh /* [4H] */, Tensor bHh /* [4H] */)
    {
        var op = new LstmSequenceOp(x, batchFirst, reverse, h0, c0, wIh, wHh, bIh, bHh);
        op.ForwardUnits(op.ForwardRows);
        op.Record([x, .. Given(h0), .. Given(c0), wIh, wHh, bIh, bHh], op._gates, op._c);
        return op;
    }

    protected override Tensor? C0 => _c0;

    // Steps [s0, s1) for batch rows [b0, b1). (Sizes and arrays are copied to locals: the inner loops read them.)
    private void ForwardRows(int b0, int b1, int s0, int s1)
    {
        double[] bi = BIh.Data, bh = BHh.Data, y = Output.Data, hs = Hs, gates = _gates, c = _c, tanhC = _tanhC;
        double[] c0 = _c0Values;
        int hidden = H, width = G, batch = B, step = batch * hidden;
        var z = CellOps.Rent(b1 - b0, width);                                        // z_s for these rows [rows, 4H], reused every step
        for (int s = s0; s < s1; s++)
        {
            int t = Time(s);
            ProjectInput(s, b0, b1, z, 0);                                            // z_s = x_s W_ihᵀ
            CellOps.ProjectHidden(b1 - b0, hs, (s * batch + b0) * hidden, WHh, z, 0); // z_s += h_{s−1} W_hhᵀ
            for (int b = b0; b < b1; b++)
            {
                int zr = (s * batch + b) * width, r = (s * batch + b) * hidden, yr = RowY(t, b) * hidden, zl = (b - b0) * width;
                var (cp, cpr) = s > 0 ? (c, r - step) : (c0, b * hidden);             // c_{s−1}
                for (int j = 0; j < hidden; j++)
                {
                    var (i, f, g, o, cNew, tc) = LstmCellOp.Unit(z, zl, j, hidden, bi, bh, cp[cpr + j]);
                    gates[zr + j] = i; gates[zr + hidden + j] = f; gates[zr + 2 * hidden + j] = g; gates[zr + 3 * hidden + j] = o;
                    c[r + j] = cNew; tanhC[r + j] = tc;
                    double h = o * tc;                                                 // h_s = o ⊙ tanh(c_s)
                    y[yr + j] = h;
                    hs[r + step + j] = h;                                              // the state step s + 1 reads
                }
            }
        }
        CellOps.Return(z);
    }

    protected override Tensor[] MakeStep(int s, int t)
    {
        int[] shape = [B, H];
        return
        [
            Tensor.Wrap(CopyH(t), shape), Tensor.Wrap(CopyStep(_c, s, H, 0), shape),
            Tensor.Wrap(CopyStep(_gates, s, G, 0), shape), Tensor.Wrap(CopyStep(_gates, s, G, H), shape),
            Tensor.Wrap(CopyStep(_gates, s, G, 2 * H), shape), Tensor.Wrap(CopyStep(_gates, s, G, 3 * H), shape),
        ];
    }

    protected override void BackwardSteps(double[] dzI, double[] dzH) => ForUnits(1, (b0, b1, _, _) => BackwardRows(b0, b1, dzI));

    // All T steps for batch rows [b0, b1), from the last: the carries hold what step s + 1 passes back to step s.
    private void BackwardRows(int b0, int b1, double[] dz)
    {
        int hidden = H, width = G, batch = B, rows = b1 - b0, step = batch * hidden;
        var dhCarry = CellOps.Rent(rows, hidden);                                     // dZ_{s+1} W_hh            [rows, H]
        var dcCarry = CellOps.Rent(rows, hidden);                                     // dc_{s+1} ⊙ f_{s+1}       [rows, H]
        double[] dY = OutputGrad, c0 = _c0Values;
        double[] gates = _gates, c = _c, tanhC = _tanhC;
        for (int s = T - 1; s >= 0; s--)
        {
            int t = Time(s);
            var (dH, hOff) = Accumulator(s, 0, b0, b1);
            var (dC, cOff) = Accumulator(s, 1, b0, b1);
            double[]? dI = StepGrad(s, 2), dF = StepGrad(s, 3), dG = StepGrad(s, 4), dO = StepGrad(s, 5);
            for (int b = b0; b < b1; b++)
            {
                int zr = (s * batch + b) * width, r = (s * batch + b) * hidden, yr = RowY(t, b) * hidden, e = b * hidden, l = (b - b0) * hidden;
                var (cp, cpr) = s > 0 ? (c, r - step) : (c0, e);                      // c_{s−1}
                for (int j = 0; j < hidden; j++)
                {
                    double i = gates[zr + j], f = gates[zr + hidden + j], g = gates[zr + 2 * hidden + j], o = gates[zr + 3 * hidden + j];
                    double tc = tanhC[r + j];
                    double dh = dH[hOff + e + j] += dY[yr + j] + dhCarry[l + j];                       // total ∂L/∂h_s
                    double dc = dC[cOff + e + j] += dcCarry[l + j] + dh * o * (1 - tc * tc);           // total ∂L/∂c_s
                    LstmCellOp.UnitBackward(dh, dc, i, f, g, o, tc, cp[cpr + j], dI, dF, dG, dO, e + j, dz, zr, j, hidden);
                    dcCarry[l + j] = dc * f;                                           // ∂c_s/∂c_{s−1} = f
                }
            }
            if (s == 0 && H0 is not { RequiresGrad: true }) break;
            Array.Clear(dhCarry, 0, rows * hidden);
            Gemm.Run(false, false, rows, hidden, width, dz, (s * batch + b0) * width, WHh.Data, 0, dhCarry, 0, denseA: true);   // dh_{s−1} += dz_s W_hh
        }
        AddToInitial(H0, dhCarry, b0, b1, hidden);
        AddToInitial(_c0, dcCarry, b0, b1, hidden);
        CellOps.Return(dhCarry);
        CellOps.Return(dcCarry);
    }
}
