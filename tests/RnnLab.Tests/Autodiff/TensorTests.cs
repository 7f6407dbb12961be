using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class TensorTests
{
    [Fact]
    public void Creation_and_element_access()
    {
        var t = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(6, t[1, 2]);
        t[0, 1] = 9;
        Assert.Equal(9, t.Data[1]);
        Assert.Equal([0, 0], Tensor.Zeros(2).Data);
        Assert.Equal(7, Tensor.Full(7, 2, 2)[1, 1]);
        Assert.Empty(Tensor.Scalar(3).Shape);
        Assert.Equal(Tensor.Normal(new Rng(1), 0, 1, 5).Data, Tensor.Normal(new Rng(1), 0, 1, 5).Data);
        Assert.All(Tensor.Uniform(new Rng(2), -1, 1, 100).Data, v => Assert.InRange(v, -1, 1));
    }

    [Fact]
    public void Bad_shapes_and_indices_name_the_problem()
    {
        Assert.Contains("[2, 2] holds 4 values but 3", Assert.Throws<RnnLabException>(() => new Tensor(new double[3], 2, 2)).Message);
        Assert.Contains("rank 5", Assert.Throws<RnnLabException>(() => Tensor.Zeros(1, 1, 1, 1, 1)).Message);
        Assert.Contains("index 2 is out of range", Assert.Throws<RnnLabException>(() => Tensor.Zeros(2, 2)[0, 2]).Message);
        Assert.Contains("Item", Assert.Throws<RnnLabException>(() => Tensor.Zeros(2).Item()).Message);
    }

    [Fact]
    public void ToString_shows_shape_summary_and_values()
    {
        var t = Tensor.Parameter(Tensor.FromArray([1, 2, 3, 4], 2, 2), "w");
        string s = t.ToString();
        Assert.StartsWith("Tensor [2, 2] \"w\" (parameter) min 1, max 4, mean 2.5", s);
        Assert.Contains("[[1, 2],", s);
        Assert.Contains("(grad_fn=Tanh)", t.Tanh().ToString());
        string big = Tensor.Zeros(100).ToString();
        Assert.Contains("...", big);
        Assert.True(big.Length < 200);
    }
}
