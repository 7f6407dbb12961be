using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class UnaryTests
{
    private static readonly Tensor X = Tensor.FromArray([-2, -0.5, 0, 1, 4], 5);

    [Fact]
    public void Unary_ops_match_hand_computed_values()
    {
        Assert.Equal([0, 0, 0, 1, 4], X.Relu().Data);
        Assert.Equal([4, 0.25, 0, 1, 16], X.Square().Data);
        Assert.Equal([2, 0.5, 0, 1, 4], X.Abs().Data);
        Assert.Equal([-1, -0.5, 0, 0.5, 0.5], X.Clamp(-1, 0.5).Data);
        Assert.Equal([-8, -0.125, 0, 1, 64], X.Pow(3).Data);
        Assert.Equal([1, 0.5, 2], Tensor.FromArray([1, 0.25, 4], 3).Sqrt().Data);
        var log = Tensor.FromArray([1, Math.E, 1 / Math.E], 3).Log();
        Assert.Equal(0, log.Data[0]);
        Assert.Equal(1, log.Data[1], 1e-15);
        Assert.Equal(-1, log.Data[2], 1e-15);
        Assert.Equal([1, Math.E], Tensor.FromArray([0, 1], 2).Exp().Data);
        Assert.Equal([2, 0.5], Tensor.FromArray([4, 0.25], 2).Pow(0.5).Data);
        Assert.Equal([0.5], Tensor.FromArray([0], 1).Sigmoid().Data);
        Assert.Equal(1.0, Tensor.FromArray([1000], 1).Sigmoid().Data[0]);
        Assert.Equal(0.0, Tensor.FromArray([-1000], 1).Sigmoid().Data[0]);   // stable: no NaN from e^1000
    }

    [Fact]
    public void Kinks_get_the_pytorch_gradient_zero()
    {
        var x = Tensor.Parameter(Tensor.FromArray([0, 0], 2));
        (x.Relu() + x.Abs()).Sum().Backward();
        Assert.Equal([0, 0], x.Grad!);
    }

    [Fact]
    public void Clamp_passes_gradient_inside_the_range_only()
    {
        var x = Tensor.Parameter(X);
        x.Clamp(-1, 0.5).Sum().Backward();
        Assert.Equal([0, 1, 1, 0, 0], x.Grad!);
        Assert.Contains("Clamp", Assert.Throws<RnnLabException>(() => X.Clamp(1, -1)).Message);
    }

    [Fact]
    public void Domain_errors_name_the_op_the_index_and_the_shape()
    {
        var m = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, -1 } });
        var ex = Assert.Throws<RnnLabException>(() => m.Log());
        Assert.StartsWith("Log:", ex.Message);
        Assert.Contains("[2, 2]", ex.Message);
        Assert.Contains("index [1, 1]", ex.Message);
        Assert.Contains("index [1, 1]", Assert.Throws<RnnLabException>(() => m.Sqrt()).Message);
        Assert.Contains("Pow", Assert.Throws<RnnLabException>(() => m.Pow(0.5)).Message);
        Assert.Contains("Log", Assert.Throws<RnnLabException>(() => Tensor.Zeros(3).Log()).Message);
        Assert.Contains("infinite", Assert.Throws<RnnLabException>(() => Tensor.Zeros(2).Pow(-1)).Message);
        // √0 is fine as a value, but its gradient is infinite: an error only when gradients are recorded.
        Assert.Equal([0.0], Tensor.Zeros(1).Sqrt().Data);
        ex = Assert.Throws<RnnLabException>(() => Tensor.Parameter(Tensor.Zeros(1)).Sqrt());
        Assert.Contains("Sqrt", ex.Message);
        Assert.Contains("infinite", ex.Message);
    }

    [Fact]
    public void Dropout_is_seeded_inverted_and_off_in_evaluation()
    {
        var x = Tensor.Ones(1000);
        var a = x.Dropout(0.25, new Rng(5), training: true);
        var b = x.Dropout(0.25, new Rng(5), training: true);
        Assert.Equal(a.Data, b.Data);                                   // same seed, same mask
        Assert.All(a.Data, v => Assert.True(v == 0 || v == 1 / 0.75));
        int dropped = a.Data.Count(v => v == 0);
        Assert.InRange(dropped, 190, 310);                              // ≈ 250 of 1000
        Assert.Same(x, x.Dropout(0.25, new Rng(5), training: false));
        Assert.Equal(0, x.Dropout(1, new Rng(5), training: true).Sum().Item());
        var ex = Assert.Throws<RnnLabException>(() => x.Dropout(1.5, new Rng(5), training: true));
        Assert.Contains("Dropout", ex.Message);
    }

    [Fact]
    public void Dropout_gradient_flows_through_the_kept_elements_only()
    {
        var x = Tensor.Parameter(Tensor.Ones(200));
        var y = x.Dropout(0.5, new Rng(9), training: true);
        y.Sum().Backward();
        for (int i = 0; i < 200; i++) Assert.Equal(y.Data[i], x.Grad![i]);
    }
}
