using System.Runtime.CompilerServices;

namespace RnnLab.Autodiff;

/// <summary>
/// One Elman RNN step as a single tape node (the fast path behind <c>RnnCell.Step</c>), computing the equations of
/// <c>RnnCell.Equations</c>:
/// <code>
///   a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh       [B, H]
///   h' = tanh(a)   or   max(0, a)
/// </code>
/// Outputs h' and a share the node. Backward: da += dh' ⊙ φ'(a), then the four products (<see cref="CellOps.Backward"/>).
/// </summary>
internal static class RnnCellOp
{
    public static (Tensor H, Tensor PreActivation) Forward(
        Tensor x /* [B, I] */, Tensor h /* [B, H] */, Tensor wIh /* [H, I] */, Tensor wHh /* [H, H] */,
        Tensor bIh /* [H] */, Tensor bHh /* [H] */, bool relu)
    {
        int batch = x.Shape[0], hidden = h.Shape[1];
        var a = RecycledArrays.Zeroed(batch * hidden);          // [B, H]
        CellOps.Project(x, wIh, a);                             // a  = x W_ihᵀ
        CellOps.ProjectHidden(batch, h.Data, 0, wHh, a, 0);    // a += h W_hhᵀ
        var hT = RecycledArrays.Zeroed(batch * hidden);
        double[] bi = bIh.Data, bh = bHh.Data;
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < hidden; j++)
            {
                int q = b * hidden + j;
                a[q] += bi[j] + bh[j];
                hT[q] = Activate(a[q], relu);
            }

        int[] shape = [batch, hidden];                          // one shape array for both outputs
        var hOut = Tensor.Wrap(hT, shape);
        var aOut = Tensor.Wrap(a, shape);
        Tensor.RecordFused("RnnCell", [hOut, aOut], [x, h, wIh, wHh, bIh, bHh], () =>
        {
            double[]? dH = hOut.Grad;
            double[] da = aOut.GradBuffer();                    // ∂L/∂a [B, H], left total as the composed ops leave it
            for (int q = 0; q < batch * hidden; q++)
            {
                da[q] += (dH?[q] ?? 0) * Slope(a[q], hT[q], relu);
            }
            CellOps.Backward(da, da, x, h, wIh, wHh, bIh, bHh);
        });
        return (hOut, aOut);
    }

    /// <summary>h = φ(a): tanh(a) or max(0, a). The sequence op (<see cref="RnnSequenceOp"/>) calls it too: the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Activate(double a, bool relu) => relu ? new ReluOp().F(a) : Math.Tanh(a);

    /// <summary>φ'(a) from a and h = φ(a): [a &gt; 0] for ReLU, 1 − tanh² a = 1 − h² for tanh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Slope(double a, double h, bool relu) => relu ? new ReluOp().Dfdx(a, h) : 1 - h * h;
}
