using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class ReductionTests
{
    private static readonly Tensor X = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void Sum_and_mean_over_everything_give_scalars()
    {
        Assert.Empty(X.Sum().Shape);
        Assert.Equal(21, X.Sum().Item());
        Assert.Equal(3.5, X.Mean().Item());
    }

    [Fact]
    public void Sum_and_mean_along_an_axis()
    {
        Assert.Equal([5, 7, 9], X.Sum(0).Data);
        Assert.Equal([3], X.Sum(0).Shape);
        Assert.Equal([6, 15], X.Sum(1).Data);
        Assert.Equal([2, 1], X.Sum(-1, keepDim: true).Shape);
        Assert.Equal([2, 5], X.Mean(1).Data);
        Assert.Equal([1, 3], X.Mean(0, keepDim: true).Shape);
        Assert.Equal([2.5, 3.5, 4.5], X.Mean(0).Data);
        var r3 = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        Assert.Equal([4, 6, 12, 14], r3.Sum(1).Data);
    }

    [Fact]
    public void Reduction_errors_name_the_op_and_shape()
    {
        var ex = Assert.Throws<RnnLabException>(() => X.Sum(2));
        Assert.Contains("Sum", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        ex = Assert.Throws<RnnLabException>(() => Tensor.Zeros(0, 3).Mean(0));
        Assert.Contains("Mean", ex.Message);
        Assert.Contains("[0, 3]", ex.Message);
    }

    [Fact]
    public void Softmax_is_stable_and_normalised_along_the_axis()
    {
        var z = Tensor.FromArray(new double[,] { { 1000, 1001, 1002 }, { -5, 0, 5 } });
        var p = z.Softmax();
        double e = Math.Exp(1), d = 1 + e + e * e;
        Assert.Equal(1 / d, p[0, 0], 1e-15);
        Assert.Equal(e * e / d, p[0, 2], 1e-15);
        Assert.Equal(p[0, 1], z.Softmax(1)[0, 1]);
        var lp = z.LogSoftmax();
        Assert.Equal(-Math.Log(d), lp[0, 0], 1e-12);
        Assert.Equal(Math.Log(p[1, 2]), lp[1, 2], 1e-12);
        var col = z.Softmax(0);                                         // columns sum to 1
        for (int j = 0; j < 3; j++) Assert.Equal(1, col[0, j] + col[1, j], 1e-15);
        Assert.Equal(0, col[1, 0]);                                     // e^(−1005) underflows, no NaN
    }

    [Fact]
    public void Softmax_error_names_the_op_and_shape()
    {
        var ex = Assert.Throws<RnnLabException>(() => X.LogSoftmax(3));
        Assert.Contains("LogSoftmax", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
    }
}
