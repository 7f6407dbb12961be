using RnnLab.Autodiff;

namespace RnnLab.Tests.Attention;

public sealed class OpTests
{
    private static Tensor N(Rng rng, params int[] shape) => Tensor.Normal(rng, 0, 1, shape);

    private static bool[] RandomMask(Rng rng, int lines, int n)
    {
        var mask = new bool[lines * n];
        for (int l = 0; l < lines; l++)
        {
            for (int j = 0; j < n; j++) mask[l * n + j] = rng.NextDouble() < 0.6;
            mask[l * n + rng.NextInt(n)] = true;   // at least one allowed per line
        }
        return mask;
    }

    [Theory]
    [InlineData(1, 1, 5, 1UL)] [InlineData(2, 3, 4, 2UL)] [InlineData(3, 2, 7, 3UL)]
    public void LayerNorm_gradients_match_central_differences(int a, int b, int d, ulong seed)
    {
        var rng = new Rng(seed);
        var result = GradCheck.Check(x => Tensor.LayerNorm(x[0], x[1], x[2]), [N(rng, a, b, d) * 2 + 1, N(rng, d), N(rng, d)], seed);
        Assert.True(result.Passed(), result.ToString());
    }

    [Fact]
    public void LayerNorm_gives_each_line_mean_zero_and_unit_variance_before_scale_and_shift()
    {
        var x = N(new Rng(4), 3, 6) * 5 + 2;
        var y = Tensor.LayerNorm(x, Tensor.Ones(6), Tensor.Zeros(6), eps: 1e-12);
        for (int l = 0; l < 3; l++)
        {
            var line = y.Data.AsSpan(l * 6, 6).ToArray();
            Assert.Equal(0, line.Average(), 1e-12);
            Assert.Equal(1, line.Select(v => v * v).Average(), 1e-9);
        }
        // γ and β apply per feature: y = 2·x̂ + 3
        var scaled = Tensor.LayerNorm(x, Tensor.Full(2, 6), Tensor.Full(3, 6), eps: 1e-12);
        for (int i = 0; i < y.Size; i++) Assert.Equal(2 * y.Data[i] + 3, scaled.Data[i], 1e-12);
    }

    [Fact]
    public void LayerNorm_rejects_wrong_parameter_shapes_and_eps()
    {
        var x = Tensor.Zeros(2, 4);
        Assert.Contains("gamma and beta must both be [4]", Assert.Throws<RnnLabException>(() => Tensor.LayerNorm(x, Tensor.Ones(3), Tensor.Zeros(4))).Message);
        Assert.Contains("eps must be positive", Assert.Throws<RnnLabException>(() => Tensor.LayerNorm(x, Tensor.Ones(4), Tensor.Zeros(4), 0)).Message);
    }

    [Theory]
    [InlineData(2, 3, 5, 1UL)] [InlineData(1, 4, 4, 9UL)] [InlineData(3, 1, 6, 12UL)]
    public void MaskedSoftmax_gradients_match_central_differences(int a, int b, int n, ulong seed)
    {
        var rng = new Rng(seed);
        var mask = RandomMask(rng, a * b, n);
        var result = GradCheck.Check(x => x[0].MaskedSoftmax(mask), [N(rng, a, b, n) * 2], seed);
        Assert.True(result.Passed(), result.ToString());
    }

    [Fact]
    public void MaskedSoftmax_gives_masked_positions_exactly_zero_and_rows_sum_to_one()
    {
        var rng = new Rng(3);
        var x = N(rng, 4, 6) * 10;
        x.Data[0] = 500;                                    // a huge masked score must still get exactly 0
        var mask = RandomMask(rng, 4, 6);
        mask[0] = false;
        var y = x.MaskedSoftmax(mask);
        for (int l = 0; l < 4; l++)
        {
            double sum = 0;
            for (int j = 0; j < 6; j++)
            {
                int i = l * 6 + j;
                if (!mask[i]) Assert.Equal(0.0, y.Data[i]);   // exactly, not approximately
                else Assert.True(y.Data[i] > 0);
                sum += y.Data[i];
            }
            Assert.Equal(1, sum, 1e-12);
        }
        // With everything allowed it is the ordinary softmax.
        var all = Enumerable.Repeat(true, x.Size).ToArray();
        Assert.Equal(x.Softmax().Data, x.MaskedSoftmax(all).Data);
    }

    [Fact]
    public void MaskedSoftmax_masked_positions_get_no_gradient()
    {
        var x = Tensor.Parameter(Tensor.FromArray([1, 2, 3, 4], 1, 4));
        bool[] mask = [true, false, true, false];
        var w = Tensor.FromArray([0.3, -1, 2, 5], 1, 4);
        (x.MaskedSoftmax(mask) * w).Sum().Backward();
        Assert.Equal(0.0, x.Grad![1]);
        Assert.Equal(0.0, x.Grad![3]);
        Assert.NotEqual(0.0, x.Grad![0]);
    }

    [Fact]
    public void MaskedSoftmax_rejects_a_fully_masked_line_and_a_wrong_sized_mask()
    {
        var x = Tensor.Zeros(2, 3);
        var e = Assert.Throws<RnnLabException>(() => x.MaskedSoftmax([true, true, false, false, false, false]));
        Assert.Contains("line 1", e.Message);
        Assert.Contains("every position masked", e.Message);
        Assert.Contains("6 values", Assert.Throws<RnnLabException>(() => x.MaskedSoftmax([true])).Message);
    }
}
