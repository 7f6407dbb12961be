namespace RnnLab.Autodiff;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product Y = op(A) · op(B), where op transposes the last two dimensions when asked.
    /// 2-D: [M, K] · [K, N] → [M, N]. Batched (rank 3): [S, M, K] · [S, K, N] → [S, M, N];
    /// a 2-D operand is shared across the batch.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3)
            throw new RnnLabException($"MatMul: operands must be 2-D matrices or 3-D batches of matrices; got {ShapeString(a.Shape)} and {ShapeString(b.Shape)}");
        int batchA = a.Rank == 3 ? a.Shape[0] : 1, batchB = b.Rank == 3 ? b.Shape[0] : 1;
        if (a.Rank == 3 && b.Rank == 3 && batchA != batchB)
            throw new RnnLabException($"MatMul: batch sizes differ: {ShapeString(a.Shape)} has {batchA} matrices, {ShapeString(b.Shape)} has {batchB}");
        int ar = a.Shape[^2], ac = a.Shape[^1], br = b.Shape[^2], bc = b.Shape[^1];
        int m = transposeA ? ac : ar, k = transposeA ? ar : ac, kb = transposeB ? bc : br, n = transposeB ? br : bc;
        if (k != kb)
            throw new RnnLabException($"MatMul: cannot multiply {ShapeString(a.Shape)}{(transposeA ? "ᵀ" : "")} by {ShapeString(b.Shape)}{(transposeB ? "ᵀ" : "")}: " +
                                      $"inner sizes {k} and {kb} differ");
        int batch = Math.Max(batchA, batchB);
        int strideA = a.Rank == 3 ? m * k : 0, strideB = b.Rank == 3 ? k * n : 0;
        var y = a.Rank == 3 || b.Rank == 3 ? Zeros(batch, m, n) : Zeros(m, n);
        for (int s = 0; s < batch; s++)
            Gemm.Run(transposeA, transposeB, m, n, k, a.Data, s * strideA, b.Data, s * strideB, y.Data, s * m * n);   // Y = op(A) op(B)

        return Record("MatMul", y, [a, b], () =>
        {
            double[] dY = y.Grad!;
            for (int s = 0; s < batch; s++)
            {
                int yo = s * m * n;
                if (a.RequiresGrad)
                {
                    // Y = A B  ⇒ dA = dY Bᵀ;   Y = Aᵀ B ⇒ dA = B dYᵀ;  (with op(B) in place of B)
                    if (!transposeA) Gemm.Run(false, !transposeB, m, k, n, dY, yo, b.Data, s * strideB, a.GradBuffer(), s * strideA);
                    else Gemm.Run(transposeB, true, k, m, n, b.Data, s * strideB, dY, yo, a.GradBuffer(), s * strideA);
                }
                if (b.RequiresGrad)
                {
                    // Y = A B  ⇒ dB = Aᵀ dY;   Y = A Bᵀ ⇒ dB = dYᵀ A;  (with op(A) in place of A)
                    if (!transposeB) Gemm.Run(!transposeA, false, k, n, m, a.Data, s * strideA, dY, yo, b.GradBuffer(), s * strideB);
                    else Gemm.Run(true, transposeA, n, k, m, dY, yo, a.Data, s * strideA, b.GradBuffer(), s * strideB);
                }
            }
        });
    }

    public Tensor MatMul(Tensor other) => MatMul(this, other);
}
