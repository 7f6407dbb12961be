namespace RnnLab.Autodiff;

/// <summary>
/// An Elman RNN layer's whole sequence (one layer, one direction) as one tape node: the fast path behind <c>Rnn.Forward</c>.
/// Per step it computes what <see cref="RnnCellOp"/> computes (the same sums, then <see cref="RnnCellOp.Activate"/>),
/// so the values are those of stepping the cell; see <see cref="SequenceOp"/> for the rest.
/// <code>
///   per step:  a_s = x_s W_ihᵀ + h_{s−1} W_hhᵀ + b_ih + b_hh;   h_s = tanh(a_s)  or  max(0, a_s)     [B, H]
///   backward, per step from the last:  dh_s = dY_s + da_{s+1} W_hh,   da_s = dh_s ⊙ φ'(a_s)
///   then once:  dW_hh += dAᵀ H_prev,  dW_ih += dAᵀ X,  db += Σ dA,  dX = dA W_ih
/// </code>
/// Step records: [h, a]; both Grads are total after Backward(), as <see cref="RnnCellOp"/> leaves them. With batch 1
/// (the min-char-rnn) the gain is one node instead of T, and one [H × T]·[T × H] product for dW_hh instead of T
/// rank-1 updates.
/// </summary>
internal sealed class RnnSequenceOp : SequenceOp
{
    private readonly bool _relu;
    private readonly double[] _a;   // [T·B, H]: per step first x_s W_ihᵀ, then (in place) a_s; the step records read it

    private RnnSequenceOp(Tensor x, bool batchFirst, bool reverse, Tensor? h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, bool relu)
        : base("Rnn", x, batchFirst, reverse, h0, wIh, wHh, bIh, bHh, totalCount: 2)
    {
        _relu = relu;
        _a = RecycledArrays.Uninitialized(T * B * H);
    }

    /// <summary>
    /// Runs the layer over x ([T, B, I], or [B, T, I] batch first) from h0 ([B, H], zeros when null), the reverse
    /// direction from the last step back. The returned op holds the output and makes the step records.
    /// </summary>
    public static RnnSequenceOp Forward(Tensor x, bool batchFirst, bool reverse, Tensor? h0,
                                        Tensor wIh /* [H, I] */, Tensor wHh /* [H, H] */, Tensor bIh /* [H] */, Tensor bHh /* [H] */, bool relu)
    {
        var op = new RnnSequenceOp(x, batchFirst, reverse, h0, wIh, wHh, bIh, bHh, relu);
        op.ForwardUnits(op.ForwardRows);
        op.Record([x, .. Given(h0), wIh, wHh, bIh, bHh], op._a);
        return op;
    }

    // Steps [s0, s1) for batch rows [b0, b1).
    private void ForwardRows(int b0, int b1, int s0, int s1)
    {
        double[] bi = BIh.Data, bh = BHh.Data, y = Output.Data, hs = Hs, a = _a;
        int step = B * H;
        for (int s = s0; s < s1; s++)
        {
            int t = Time(s);
            ProjectInput(s, b0, b1, a, (s * B + b0) * H);                                               // a_s = x_s W_ihᵀ
            CellOps.ProjectHidden(b1 - b0, hs, (s * B + b0) * H, WHh, a, (s * B + b0) * H);   // a_s += h_{s−1} W_hhᵀ
            for (int b = b0; b < b1; b++)
            {
                int r = (s * B + b) * H, yr = RowY(t, b) * H;
                for (int j = 0; j < H; j++)
                {
                    a[r + j] += bi[j] + bh[j];
                    double h = RnnCellOp.Activate(a[r + j], _relu);                    // h_s = φ(a_s)
                    y[yr + j] = h;
                    hs[r + step + j] = h;                                              // the state step s + 1 reads
                }
            }
        }
    }

    protected override Tensor[] MakeStep(int s, int t)
    {
        int[] shape = [B, H];
        return [Tensor.Wrap(CopyH(t), shape), Tensor.Wrap(CopyStep(_a, s, H, 0), shape)];
    }

    protected override void BackwardSteps(double[] dzI, double[] dzH) => ForUnits(1, (b0, b1, _, _) => BackwardRows(b0, b1, dzI));

    // All T steps for batch rows [b0, b1), from the last: the carry holds da_{s+1} W_hh.
    private void BackwardRows(int b0, int b1, double[] da)
    {
        int rows = b1 - b0, step = B * H;
        var dhCarry = CellOps.Rent(rows, H);                                          // [rows, H]
        double[] dY = OutputGrad;
        double[] a = _a, hs = Hs;
        for (int s = T - 1; s >= 0; s--)
        {
            int t = Time(s);
            var (dH, hOff) = Accumulator(s, 0, b0, b1);
            var (dA, aOff) = Accumulator(s, 1, b0, b1);
            for (int b = b0; b < b1; b++)
            {
                int r = (s * B + b) * H, yr = RowY(t, b) * H, e = b * H, l = (b - b0) * H;
                for (int j = 0; j < H; j++)
                {
                    double dh = dH[hOff + e + j] += dY[yr + j] + dhCarry[l + j];          // total ∂L/∂h_s
                    da[r + j] = dA[aOff + e + j] += dh * RnnCellOp.Slope(a[r + j], hs[r + step + j], _relu);   // total ∂L/∂a_s
                }
            }
            if (s == 0 && H0 is not { RequiresGrad: true }) break;
            Array.Clear(dhCarry, 0, rows * H);
            Gemm.Run(false, false, rows, H, H, da, (s * B + b0) * H, WHh.Data, 0, dhCarry, 0, denseA: true);   // dh_{s−1} += da_s W_hh
        }
        AddToInitial(H0, dhCarry, b0, b1, H);
        CellOps.Return(dhCarry);
    }
}
