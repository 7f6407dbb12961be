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
        var product = Product.Of("MatMul", a, b, transposeA, transposeB);
        var y = product.Forward();                                                   // Y = op(A) op(B)
        return Record("MatMul", y, [a, b], () => product.Backward(y.Grad!));
    }

    public Tensor MatMul(Tensor other) => MatMul(this, other);

    /// <summary>
    /// An affine map Y = X Wᵀ + b as one op (PyTorch's <c>torch.nn.functional.linear</c>): X [N, in] or [S, N, in],
    /// W [out, in], b [out] (or null), giving [N, out] or [S, N, out]. The same numbers as <c>MatMul(x, w, transposeB: true) + b</c>,
    /// without the intermediate product and its gradient: backward reads ∂L/∂Y once for the two products and the bias sum.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new RnnLabException($"Linear: weight must be 2-D [out, in]; got {ShapeString(weight.Shape)}");
        var product = Product.Of("Linear", x, weight, transposeA: false, transposeB: true);
        int outFeatures = product.N;
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outFeatures))
            throw new RnnLabException($"Linear: bias must be [{outFeatures}] for weight {ShapeString(weight.Shape)}; got {ShapeString(bias.Shape)}");
        var y = product.Forward();                                                   // Y = X Wᵀ
        if (bias is not null) AddToRows(bias.Data, y.Data);                          // Y += b, row by row
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Record("Linear", y, inputs, () =>
        {
            double[] dY = y.Grad!;
            if (bias is { RequiresGrad: true }) AddRowSums(dY, bias.GradBuffer());    // db += Σ_rows dY
            product.Backward(dY);                                                    // dX += dY W,  dW += dYᵀ X
        });
    }

    // y[r, j] += b[j] for every row r of y.
    private static void AddToRows(double[] b, double[] y)
    {
        for (int row = 0; row < y.Length; row += b.Length)
        {
            var yr = y.AsSpan(row, b.Length);
            for (int j = 0; j < yr.Length; j++) yr[j] += b[j];
        }
    }

    // db[j] += Σ_r dY[r, j], rows in order.
    private static void AddRowSums(double[] dY, double[] db)
    {
        for (int row = 0; row < dY.Length; row += db.Length)
        {
            var dr = dY.AsSpan(row, db.Length);
            for (int j = 0; j < dr.Length; j++) db[j] += dr[j];
        }
    }

    /// <summary>The shapes of op(A) · op(B) (checked), with its forward and the backward both MatMul and Linear use.</summary>
    private sealed record Product(Tensor A, Tensor B, bool TransposeA, bool TransposeB, int Batch, int M, int N, int K, int StrideA, int StrideB)
    {
        public static Product Of(string op, Tensor a, Tensor b, bool transposeA, bool transposeB)
        {
            if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3)
                throw new RnnLabException($"{op}: operands must be 2-D matrices or 3-D batches of matrices; got {ShapeString(a.Shape)} and {ShapeString(b.Shape)}");
            int batchA = a.Rank == 3 ? a.Shape[0] : 1, batchB = b.Rank == 3 ? b.Shape[0] : 1;
            if (a.Rank == 3 && b.Rank == 3 && batchA != batchB)
                throw new RnnLabException($"{op}: batch sizes differ: {ShapeString(a.Shape)} has {batchA} matrices, {ShapeString(b.Shape)} has {batchB}");
            int ar = a.Shape[^2], ac = a.Shape[^1], br = b.Shape[^2], bc = b.Shape[^1];
            int m = transposeA ? ac : ar, k = transposeA ? ar : ac, kb = transposeB ? bc : br, n = transposeB ? br : bc;
            if (k != kb)
                throw new RnnLabException($"{op}: cannot multiply {ShapeString(a.Shape)}{(transposeA ? "ᵀ" : "")} by {ShapeString(b.Shape)}{(transposeB ? "ᵀ" : "")}: " +
                                          $"inner sizes {k} and {kb} differ");
            return new Product(a, b, transposeA, transposeB, Math.Max(batchA, batchB), m, n, k,
                               a.Rank == 3 ? m * k : 0, b.Rank == 3 ? k * n : 0);
        }

        public Tensor Forward()
        {
            var y = A.Rank == 3 || B.Rank == 3 ? Zeros(Batch, M, N) : Zeros(M, N);
            for (int s = 0; s < Batch; s++)
                Gemm.Run(TransposeA, TransposeB, M, N, K, A.Data, s * StrideA, B.Data, s * StrideB, y.Data, s * M * N);
            return y;
        }

        public void Backward(double[] dY)
        {
            int m = M, n = N, k = K;
            for (int s = 0; s < Batch; s++)
            {
                int yo = s * m * n;
                if (A.RequiresGrad)
                {
                    // Y = A B  ⇒ dA = dY Bᵀ;   Y = Aᵀ B ⇒ dA = B dYᵀ;  (with op(B) in place of B)
                    if (!TransposeA) Gemm.Run(false, !TransposeB, m, k, n, dY, yo, B.Data, s * StrideB, A.GradBuffer(), s * StrideA);
                    else Gemm.Run(TransposeB, true, k, m, n, B.Data, s * StrideB, dY, yo, A.GradBuffer(), s * StrideA);
                }
                if (B.RequiresGrad)
                {
                    // Y = A B  ⇒ dB = Aᵀ dY;   Y = A Bᵀ ⇒ dB = dYᵀ A;  (with op(A) in place of A)
                    if (!TransposeB) Gemm.Run(!TransposeA, false, k, n, m, A.Data, s * StrideA, dY, yo, B.GradBuffer(), s * StrideB);
                    else Gemm.Run(true, TransposeA, n, k, m, dY, yo, A.Data, s * StrideA, B.GradBuffer(), s * StrideB);
                }
            }
        }
    }
}
