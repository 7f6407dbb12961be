using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class MatMulTests
{
    [Fact]
    public void Multiplies_a_hand_computed_case()
    {
        var a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var b = Tensor.FromArray(new double[,] { { 5, 6 }, { 7, 8 } });
        Assert.Equal([19, 22, 43, 50], Tensor.MatMul(a, b).Data);
        Assert.Equal([17, 23, 39, 53], Tensor.MatMul(a, b, transposeB: true).Data);
        Assert.Equal([26, 30, 38, 44], Tensor.MatMul(a, b, transposeA: true).Data);
        Assert.Equal([23, 31, 34, 46], Tensor.MatMul(a, b, transposeA: true, transposeB: true).Data);
    }

    [Fact]
    public void Shape_mismatch_names_the_op_and_shapes()
    {
        var ex = Assert.Throws<RnnLabException>(() => Tensor.MatMul(Tensor.Zeros(32, 65), Tensor.Zeros(128, 512)));
        Assert.Equal("MatMul: cannot multiply [32, 65] by [128, 512]: inner sizes 65 and 128 differ", ex.Message);
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    public void Matches_a_naive_triple_loop_on_sizes_that_span_several_cache_blocks(bool transA, bool transB, bool sparseA)
    {
        // k = 300 and n = 70 split B into several blocks in every kernel; odd sizes exercise the vector tails.
        const int m = 37, n = 70, k = 300;
        var rng = new Rng(4);
        var a = Tensor.Normal(rng, 0, 1, transA ? [k, m] : [m, k]);
        if (sparseA) for (int i = 0; i < a.Size; i++) if (rng.NextDouble() < 0.6) a.Data[i] = 0;   // the kernels skip zero coefficients
        var b = Tensor.Normal(rng, 0, 1, transB ? [n, k] : [k, n]);
        var y = Tensor.MatMul(a, b, transA, transB);
        Assert.Equal([m, n], y.Shape);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p, i] : a[i, p]) * (transB ? b[j, p] : b[p, j]);
                Assert.Equal(s, y[i, j], 1e-11);
            }
    }
}

public sealed class LinearOpTests
{
    // y = x Wᵀ + b as one op gives the bits of MatMul then Add, and the same gradients for x, W and b.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Equals_matmul_then_add_in_values_and_gradients(bool batched)
    {
        var rng = new Rng(21);
        int[] xShape = batched ? [3, 37, 40] : [150, 40];   // enough rows for the blocked kernel and several threads
        var x = Tensor.Parameter(Tensor.Normal(rng, 0, 1, xShape), "x");
        var w = Tensor.Parameter(Tensor.Normal(rng, 0, 1, 13, 40), "w");
        var b = Tensor.Parameter(Tensor.Normal(rng, 0, 1, 13), "b");
        var weights = Tensor.Normal(rng, 0, 1, batched ? [3, 37, 13] : [150, 13]);   // a random weighted sum of the output

        List<double[]> Run(Func<Tensor> forward)
        {
            x.ZeroGrad(); w.ZeroGrad(); b.ZeroGrad();
            var y = forward();
            (y * weights).Sum().Backward();
            return [y.Data, (double[])x.Grad!.Clone(), (double[])w.Grad!.Clone(), (double[])b.Grad!.Clone()];
        }
        var fused = Run(() => Tensor.Linear(x, w, b));
        var composed = Run(() => Tensor.MatMul(x, w, transposeB: true) + b);
        for (int k = 0; k < fused.Count; k++) Assert.Equal(composed[k], fused[k]);   // exact bits
    }

    [Fact]
    public void A_bias_of_the_wrong_size_is_named()
    {
        var ex = Assert.Throws<RnnLabException>(() => Tensor.Linear(Tensor.Zeros(4, 3), Tensor.Zeros(5, 3), Tensor.Zeros(4)));
        Assert.Equal("Linear: bias must be [5] for weight [5, 3]; got [4]", ex.Message);
    }

    [Fact]
    public void An_input_of_the_wrong_width_is_named()
    {
        var ex = Assert.Throws<RnnLabException>(() => Tensor.Linear(Tensor.Zeros(4, 3), Tensor.Zeros(5, 2)));
        Assert.Equal("Linear: cannot multiply [4, 3] by [5, 2]ᵀ: inner sizes 3 and 2 differ", ex.Message);
    }
}
