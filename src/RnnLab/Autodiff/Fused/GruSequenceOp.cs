namespace RnnLab.Autodiff;

/// <summary>
/// A GRU layer's whole sequence (one layer, one direction) as one tape node: the fast path behind <c>Gru.Forward</c>.
/// Per step it computes what <see cref="GruCellOp"/> computes (the same <see cref="GruCellOp.Unit"/> on the same
/// products), so the values are those of stepping the cell; see <see cref="SequenceOp"/> for the rest.
/// <code>
///   per step:  gi_s = x_s W_ihᵀ                                        [B, 3H]
///              gh_s = h_{s−1} W_hhᵀ + b_hh;  r, z = σ(gi_s + b_ih + gh_s) (their blocks);  n = tanh(gi_n + b_in + r ⊙ gh_n)
///              h_s = (1 − z) ⊙ n + z ⊙ h_{s−1}
///   backward, per step from the last:  dh_s = dY_s + dh_{s+1} ⊙ z_{s+1} + dGH_{s+1} W_hh
///   then once:  dW_hh += dGHᵀ H_prev,  dW_ih += dGIᵀ X,  db_ih += Σ dGI,  db_hh += Σ dGH,  dX = dGI W_ih
/// </code>
/// Step records: [h, r, z, n]; h's Grad is always total after Backward(), a gate's only when another op used that
/// gate (as <see cref="GruCellOp"/> leaves them).
/// </summary>
internal sealed class GruSequenceOp : SequenceOp
{
    private readonly double[] _gates;   // [T·B, 3H]: the gates r, z, n; the step records read it
    private readonly double[] _gh;      // [T·B, 3H]: h_{s−1} W_hhᵀ + b_hh, for backward (gh_n)

    private GruSequenceOp(Tensor x, bool batchFirst, bool reverse, Tensor? h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh)
        : base("Gru", x, batchFirst, reverse, h0, wIh, wHh, bIh, bHh, totalCount: 1)
    {
        _gates = RecycledArrays.Uninitialized(T * B * G);
        _gh = Scratch(T * B * G);
    }

    /// <summary>
    /// Runs the layer over x ([T, B, I], or [B, T, I] batch first) from h0 ([B, H], zeros when null), the reverse
    /// direction from the last step back. The returned op holds the output and makes the step records.
    /// </summary>
    public static GruSequenceOp Forward(Tensor x, bool batchFirst, bool reverse, Tensor? h0,
                                        Tensor wIh /* [3H, I] */, Tensor wHh /* [3H, H] */, Tensor bIh /* [3H] */, Tensor bHh /* [3H] */)
    {
        var op = new GruSequenceOp(x, batchFirst, reverse, h0, wIh, wHh, bIh, bHh);
        op.ForwardUnits(op.ForwardRows);
        op.Record([x, .. Given(h0), wIh, wHh, bIh, bHh], op._gates);
        return op;
    }

    protected override bool SeparateHiddenGradient => true;

    // Steps [s0, s1) for batch rows [b0, b1).
    private void ForwardRows(int b0, int b1, int s0, int s1)
    {
        double[] bi = BIh.Data, bh = BHh.Data, y = Output.Data, hs = Hs, gates = _gates, gh = _gh;
        int step = B * H;
        var gi = CellOps.Rent(b1 - b0, G);                                           // gi_s for these rows [rows, 3H], reused every step
        for (int s = s0; s < s1; s++)
        {
            int t = Time(s);
            ProjectInput(s, b0, b1, gi, 0);                                           // gi_s = x_s W_ihᵀ
            Array.Clear(gh, (s * B + b0) * G, (b1 - b0) * G);
            CellOps.ProjectHidden(b1 - b0, hs, (s * B + b0) * H, WHh, gh, (s * B + b0) * G);   // gh_s = h_{s−1} W_hhᵀ
            for (int b = b0; b < b1; b++)
            {
                int zr = (s * B + b) * G, r = (s * B + b) * H, yr = RowY(t, b) * H;
                for (int j = 0; j < H; j++)
                {
                    var (rg, z, n, h) = GruCellOp.Unit(gi, (b - b0) * G, gh, zr, j, H, bi, bh, hs[r + j]);
                    gates[zr + j] = rg; gates[zr + H + j] = z; gates[zr + 2 * H + j] = n;
                    y[yr + j] = h;
                    hs[r + step + j] = h;                                              // the state step s + 1 reads
                }
            }
        }
        CellOps.Return(gi);
    }

    protected override Tensor[] MakeStep(int s, int t)
    {
        int[] shape = [B, H];
        return
        [
            Tensor.Wrap(CopyH(t), shape), Tensor.Wrap(CopyStep(_gates, s, G, 0), shape),
            Tensor.Wrap(CopyStep(_gates, s, G, H), shape), Tensor.Wrap(CopyStep(_gates, s, G, 2 * H), shape),
        ];
    }

    protected override void BackwardSteps(double[] dzI, double[] dzH) => ForUnits(1, (b0, b1, _, _) => BackwardRows(b0, b1, dzI, dzH));

    // All T steps for batch rows [b0, b1), from the last: the carry holds dh_{s+1} ⊙ z_{s+1} + dGH_{s+1} W_hh.
    private void BackwardRows(int b0, int b1, double[] dgi, double[] dgh)
    {
        int rows = b1 - b0;
        var dhCarry = CellOps.Rent(rows, H);                                          // [rows, H]
        double[] dY = OutputGrad;
        double[] gates = _gates, gh = _gh, hs = Hs;
        for (int s = T - 1; s >= 0; s--)
        {
            int t = Time(s);
            var (dH, hOff) = Accumulator(s, 0, b0, b1);
            double[]? dR = StepGrad(s, 1), dZ = StepGrad(s, 2), dN = StepGrad(s, 3);
            for (int b = b0; b < b1; b++)
            {
                int zr = (s * B + b) * G, r = (s * B + b) * H, yr = RowY(t, b) * H, e = b * H, l = (b - b0) * H;
                for (int j = 0; j < H; j++)
                {
                    double dh = dH[hOff + e + j] += dY[yr + j] + dhCarry[l + j];    // total ∂L/∂h_s
                    double z = gates[zr + H + j];
                    GruCellOp.UnitBackward(dh, gates[zr + j], z, gates[zr + 2 * H + j], hs[r + j], gh[zr + 2 * H + j],
                                           dR, dZ, dN, e + j, dgi, dgh, zr, j, H);
                    dhCarry[l + j] = dh * z;                                           // ∂h_s/∂h_{s−1} = z, plus the path through gh:
                }
            }
            if (s == 0 && H0 is not { RequiresGrad: true }) break;
            Gemm.Run(false, false, rows, H, G, dgh, (s * B + b0) * G, WHh.Data, 0, dhCarry, 0, denseA: true);   // dh_{s−1} += dgh_s W_hh
        }
        AddToInitial(H0, dhCarry, b0, b1, H);
        CellOps.Return(dhCarry);
    }
}
