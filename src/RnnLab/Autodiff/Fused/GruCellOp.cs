using System.Runtime.CompilerServices;

namespace RnnLab.Autodiff;

/// <summary>
/// One GRU step as a single tape node (the fast path behind <c>GruCell.Step</c>), computing the equations of
/// <c>GruCell.Equations</c> (PyTorch's, with the reset gate applied after the recurrent product):
/// <code>
///   gi = x W_ihᵀ + b_ih      gh = h W_hhᵀ + b_hh               [B, 3H], blocks r, z, n
///   r = σ(gi_r + gh_r)   z = σ(gi_z + gh_z)   n = tanh(gi_n + r ⊙ gh_n)
///   h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// Outputs h', r, z, n share the node; backward leaves h''s gradient total, and a gate's only when another op used that gate.
/// </summary>
internal static class GruCellOp
{
    public static (Tensor H, Tensor R, Tensor Z, Tensor N) Forward(
        Tensor x /* [B, I] */, Tensor h /* [B, H] */, Tensor wIh /* [3H, I] */, Tensor wHh /* [3H, H] */,
        Tensor bIh /* [3H] */, Tensor bHh /* [3H] */)
    {
        int batch = x.Shape[0], hidden = h.Shape[1], gates = 3 * hidden;
        var gi = CellOps.Rent(batch, gates);                     // [B, 3H]
        var gh = RecycledArrays.Uninitialized(batch * gates);                // [B, 3H], kept: backward needs gh_n
        Array.Clear(gh);
        CellOps.Project(x, wIh, gi);                             // gi = x W_ihᵀ
        CellOps.ProjectHidden(batch, h.Data, 0, wHh, gh, 0);    // gh = h W_hhᵀ
        var rT = RecycledArrays.Zeroed(batch * hidden); var zT = RecycledArrays.Zeroed(batch * hidden);
        var nT = RecycledArrays.Zeroed(batch * hidden); var hT = RecycledArrays.Zeroed(batch * hidden);
        double[] hPrev = h.Data, bi = bIh.Data, bh = bHh.Data;
        Parallelism.For(batch, gates * 16L, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int g = b * gates, row = b * hidden;
                for (int j = 0; j < hidden; j++)
                {
                    int q = row + j;
                    var (r, z, n, hNew) = Unit(gi, g, gh, g, j, hidden, bi, bh, hPrev[q]);
                    rT[q] = r; zT[q] = z; nT[q] = n; hT[q] = hNew;
                }
            }
        });
        CellOps.Return(gi);

        int[] shape = [batch, hidden];                           // one shape array for all four outputs
        var hOut = Tensor.Wrap(hT, shape); var rOut = Tensor.Wrap(rT, shape);
        var zOut = Tensor.Wrap(zT, shape); var nOut = Tensor.Wrap(nT, shape);
        Tensor.RecordFused("GruCell", [hOut, rOut, zOut, nOut], [x, h, wIh, wHh, bIh, bHh], () =>
        {
            double[]? dH = hOut.Grad;
            double[]? dR = rOut.Grad, dZ = zOut.Grad, dN = nOut.Grad;   // a gate's Grad only when another op used it (as LstmCellOp)
            double[]? dHPrev = h.RequiresGrad ? h.GradBuffer() : null;
            var dgi = CellOps.Rent(batch, gates);                // ∂L/∂gi [B, 3H]
            var dgh = CellOps.Rent(batch, gates);                // ∂L/∂gh [B, 3H]
            Parallelism.For(batch, gates * 4L, (b0, b1) =>
            {
                for (int b = b0; b < b1; b++)
                {
                    int g = b * gates, row = b * hidden;
                    for (int j = 0; j < hidden; j++)
                    {
                        int q = row + j;
                        double z = zT[q], dh = dH?[q] ?? 0;
                        if (dHPrev is not null) dHPrev[q] += dh * z;      // ∂h'/∂h = z (plus the path through gh, below)
                        UnitBackward(dh, rT[q], z, nT[q], hPrev[q], gh[g + 2 * hidden + j], dR, dZ, dN, q, dgi, dgh, g, j, hidden);
                    }
                }
            });
            CellOps.Backward(dgi, dgh, x, h, wIh, wHh, bIh, bHh);
            CellOps.Return(dgi);
            CellOps.Return(dgh);
        }, release: () => RecycledArrays.Return(gh));
        return (hOut, rOut, zOut, nOut);
    }

    /// <summary>
    /// Unit j of one row: gi[gio + k·H + j] and gh[g + k·H + j] hold gate k's x W_ihᵀ and h W_hhᵀ without biases; gh gains
    /// b_hh (backward reads gh_n + b_hn). Returns r, z, n and h'. The sequence op (<see cref="GruSequenceOp"/>) calls it
    /// too: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double R, double Z, double N, double H) Unit(double[] gi, int gio, double[] gh, int g, int j, int hidden,
                                                                 double[] bi, double[] bh, double hPrev)
    {
        int jr = g + j, jz = g + hidden + j, jn = g + 2 * hidden + j;
        gh[jr] += bh[j]; gh[jz] += bh[hidden + j]; gh[jn] += bh[2 * hidden + j];
        double r = CellOps.Sigmoid(gi[gio + j] + bi[j] + gh[jr]);                               // r = σ(gi_r + gh_r)
        double z = CellOps.Sigmoid(gi[gio + hidden + j] + bi[hidden + j] + gh[jz]);             // z = σ(gi_z + gh_z)
        double n = Math.Tanh(gi[gio + 2 * hidden + j] + bi[2 * hidden + j] + r * gh[jn]);       // n = tanh(gi_n + r ⊙ gh_n)
        return (r, z, n, (1 - z) * n + z * hPrev);                                  // h' = (1 − z) ⊙ n + z ⊙ h
    }

    /// <summary>
    /// ∂L/∂gi and ∂L/∂gh of unit j of one row (at g + k·H + j) from the total dh = ∂L/∂h'; gh_n is gh's candidate entry
    /// (with b_hn). A gate's own gradient array (given only when another op used that gate) gains this part at index q,
    /// and its total is what flows on. The direct path ∂h'/∂h = z is the caller's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void UnitBackward(double dh, double r, double z, double n, double hPrev, double ghN,
                                      double[]? dR, double[]? dZ, double[]? dN, int q, double[] dgi, double[] dgh, int g, int j, int hidden)
    {
        int jr = g + j, jz = g + hidden + j, jn = g + 2 * hidden + j;
        double dn = dh * (1 - z);                         // ∂h'/∂n = 1 − z
        if (dN is not null) dn = dN[q] += dn;
        double dz = dh * (hPrev - n);                     // ∂h'/∂z = h − n
        if (dZ is not null) dz = dZ[q] += dz;
        double dan = dn * (1 - n * n);                    // through tanh
        double dr = dan * ghN;                            // ∂(r ⊙ gh_n)/∂r = gh_n
        if (dR is not null) dr = dR[q] += dr;
        double dar = dr * r * (1 - r), daz = dz * z * (1 - z);
        dgi[jr] = dar; dgi[jz] = daz; dgi[jn] = dan;
        dgh[jr] = dar; dgh[jz] = daz; dgh[jn] = dan * r;  // ∂(r ⊙ gh_n)/∂gh_n = r
    }
}
