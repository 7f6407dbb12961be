using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class LossAndIndexingTests
{
    [Fact]
    public void CrossEntropy_matches_the_hand_computed_value_and_gradient()
    {
        var z = Tensor.Parameter(Tensor.FromArray(new double[,] { { 0, 0 }, { 1000, 0 }, { 3, 1 } }));
        var loss = Tensor.CrossEntropy(z, [1, 0, -100]);
        // row 0: log 2;  row 1: log(1 + e^−1000) ≈ 0 (stable: no overflow);  row 2 ignored.
        Assert.Equal(Math.Log(2) / 2, loss.Item(), 1e-15);
        loss.Backward();
        Assert.Equal([0.25, -0.25, 0, 0, 0, 0], z.Grad!);
    }

    [Fact]
    public void CrossEntropy_rejects_bad_targets_with_clear_messages()
    {
        var z = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<RnnLabException>(() => Tensor.CrossEntropy(z, [0, 3]));
        Assert.Contains("CrossEntropy", ex.Message);
        Assert.Contains("target 3", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("2 rows", Assert.Throws<RnnLabException>(() => Tensor.CrossEntropy(z, [0])).Message);
        Assert.Contains("[2, 3, 1]", Assert.Throws<RnnLabException>(() => Tensor.CrossEntropy(Tensor.Zeros(2, 3, 1), [0, 0])).Message);
        Assert.Contains("ignoreIndex", Assert.Throws<RnnLabException>(() => Tensor.CrossEntropy(z, [-1, -1], ignoreIndex: -1)).Message);
    }

    [Fact]
    public void MseLoss_is_the_mean_squared_difference()
    {
        var p = Tensor.Parameter(Tensor.FromArray([1, 2, 3, 4], 2, 2));
        var t = Tensor.FromArray([1, 0, 3, 0], 2, 2);
        var loss = Tensor.MseLoss(p, t);
        Assert.Equal(5, loss.Item());
        loss.Backward();
        Assert.Equal([0, 1, 0, 2], p.Grad!);
        var ex = Assert.Throws<RnnLabException>(() => Tensor.MseLoss(p, Tensor.Zeros(4)));
        Assert.Contains("MseLoss", ex.Message);
        Assert.Contains("[2, 2]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void GatherRows_looks_up_rows_and_scatter_adds_gradients()
    {
        var table = Tensor.Parameter(Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }));
        var y = Tensor.GatherRows(table, [2, 0, 2]);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal([5, 6, 1, 2, 5, 6], y.Data);
        y.Sum().Backward();
        Assert.Equal([1, 1, 0, 0, 2, 2], table.Grad!);
        var ex = Assert.Throws<RnnLabException>(() => Tensor.GatherRows(table, [3]));
        Assert.Contains("GatherRows", ex.Message);
        Assert.Contains("[3, 2]", ex.Message);
    }

    [Fact]
    public void OneHot_sets_one_column_per_row_and_records_nothing()
    {
        var y = Tensor.OneHot([2, 0], 3);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal([0, 0, 1, 1, 0, 0], y.Data);
        Assert.False(y.RequiresGrad);
        var ex = Assert.Throws<RnnLabException>(() => Tensor.OneHot([3], 3));
        Assert.Contains("OneHot", ex.Message);
        Assert.Contains("3 classes", ex.Message);
    }
}
