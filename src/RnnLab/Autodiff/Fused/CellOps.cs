using System.Buffers;

namespace RnnLab.Autodiff;

/// <summary>
/// What the fused cell ops (<see cref="LstmCellOp"/>, <see cref="RnnCellOp"/>, <see cref="GruCellOp"/>) share: the two input
/// projections of the forward, and the backward's matrix products once ∂L/∂(pre-activations) is known.
/// </summary>
internal static class CellOps
{
    /// <summary>A pooled, zeroed [rows, cols] buffer; give it back with <see cref="Return"/>.</summary>
    public static double[] Rent(int rows, int cols)
    {
        var buffer = ArrayPool<double>.Shared.Rent(rows * cols);
        Array.Clear(buffer, 0, rows * cols);
        return buffer;
    }

    public static void Return(double[] buffer) => ArrayPool<double>.Shared.Return(buffer);

    /// <summary>z += x W_ihᵀ: [B, G·H] pre-activations without biases.</summary>
    public static void Project(Tensor input /* [B, K] */, Tensor weight /* [G·H, K] */, double[] z)
    {
        int batch = input.Shape[0], k = input.Shape[1], gates = weight.Shape[0];
        Gemm.Run(false, true, batch, gates, k, input.Data, 0, weight.Data, 0, z, 0);
    }

    /// <summary>
    /// z += h W_hhᵀ for <paramref name="rows"/> rows of h from <paramref name="hOffset"/> into z from <paramref name="zOffset"/>,
    /// h taken as dense (see <see cref="Gemm.Run"/>): a sequence layer running a few batch rows per thread gets the bits
    /// of a cell step over the whole batch.
    /// </summary>
    public static void ProjectHidden(int rows, double[] h, int hOffset, Tensor wHh /* [G·H, H] */, double[] z, int zOffset)
    {
        int gates = wHh.Shape[0], hidden = wHh.Shape[1];
        Gemm.Run(false, true, rows, gates, hidden, h, hOffset, wHh.Data, 0, z, zOffset, denseA: true);
    }

    /// <summary>
    /// Given dzI = ∂L/∂(x W_ihᵀ + b_ih) and dzH = ∂L/∂(h W_hhᵀ + b_hh) (the same buffer for LSTM and RNN), adds
    /// dx += dzI W_ih, dh += dzH W_hh, dW_ih += dzIᵀ x, dW_hh += dzHᵀ h, db_ih += Σ_b dzI, db_hh += Σ_b dzH.
    /// </summary>
    public static void Backward(double[] dzI, double[] dzH, Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh)
    {
        int batch = x.Shape[0], inputs = x.Shape[1], hidden = h.Shape[1], gates = wIh.Shape[0];
        if (x.RequiresGrad) Gemm.Run(false, false, batch, inputs, gates, dzI, 0, wIh.Data, 0, x.GradBuffer(), 0);     // dx += dzI W_ih
        if (h.RequiresGrad) Gemm.Run(false, false, batch, hidden, gates, dzH, 0, wHh.Data, 0, h.GradBuffer(), 0);    // dh += dzH W_hh
        if (wIh.RequiresGrad) Gemm.Run(true, false, gates, inputs, batch, dzI, 0, x.Data, 0, wIh.GradBuffer(), 0);   // dW_ih += dzIᵀ x
        if (wHh.RequiresGrad) Gemm.Run(true, false, gates, hidden, batch, dzH, 0, h.Data, 0, wHh.GradBuffer(), 0);   // dW_hh += dzHᵀ h
        if (bIh.RequiresGrad) AddColumnSums(dzI, batch, gates, bIh.GradBuffer());                                     // db_ih += Σ_b dzI
        if (bHh.RequiresGrad) AddColumnSums(dzH, batch, gates, bHh.GradBuffer());                                     // db_hh += Σ_b dzH
    }

    /// <summary>σ(x), computed as <see cref="SigmoidOp"/> does (the composed path's function).</summary>
    public static double Sigmoid(double x) => new SigmoidOp().F(x);

    /// <summary>db[j] += Σ_r d[r, j] for d [rows, cols], rows in order (a vector add per row).</summary>
    public static void AddColumnSums(double[] d, int rows, int cols, double[] db)
    {
        for (int b = 0; b < rows; b++) Gemm.Axpy(1, d.AsSpan(b * cols, cols), db);
    }
}
