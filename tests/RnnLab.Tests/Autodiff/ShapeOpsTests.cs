using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class ShapeOpsTests
{
    private static Tensor Range(params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = i;
        return t;
    }

    [Fact]
    public void Reshape_infers_one_size_and_keeps_row_major_order()
    {
        var y = Range(2, 3).Reshape(-1, 2);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal([0, 1, 2, 3, 4, 5], y.Data);
        Assert.Equal([6], Range(2, 3).Reshape(-1).Shape);
    }

    [Fact]
    public void Reshape_errors_name_the_op_and_shapes()
    {
        var ex = Assert.Throws<RnnLabException>(() => Range(2, 3).Reshape(4, 2));
        Assert.Contains("Reshape", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
        Assert.Contains("-1", Assert.Throws<RnnLabException>(() => Range(2, 3).Reshape(-1, -1)).Message);
        Assert.Contains("[2, 3]", Assert.Throws<RnnLabException>(() => Range(2, 3).Reshape(-1, 4)).Message);
    }

    [Fact]
    public void Transpose_swaps_the_last_two_or_named_dimensions()
    {
        Assert.Equal([0, 3, 1, 4, 2, 5], Range(2, 3).Transpose().Data);
        var b = Range(2, 2, 3).Transpose();
        Assert.Equal([2, 3, 2], b.Shape);
        Assert.Equal([0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11], b.Data);
        var t = Range(2, 3, 4).Transpose(0, 2);                    // [4, 3, 2]
        Assert.Equal([4, 3, 2], t.Shape);
        Assert.Equal(Range(2, 3, 4)[1, 2, 3], t[3, 2, 1]);
        Assert.Equal(Range(2, 3, 4)[1, 0, 2], t[2, 0, 1]);
        var ex = Assert.Throws<RnnLabException>(() => Range(4).Transpose());
        Assert.Contains("Transpose", ex.Message);
        Assert.Contains("[4]", ex.Message);
        Assert.Contains("axis 3", Assert.Throws<RnnLabException>(() => Range(2, 3).Transpose(0, 3)).Message);
    }

    [Fact]
    public void Concat_and_stack_join_along_an_axis()
    {
        var a = Range(2, 2);
        var b = Tensor.FromArray([10, 11, 12, 13, 14, 15], 2, 3);
        var c = Tensor.Concat([a, b], 1);
        Assert.Equal([2, 5], c.Shape);
        Assert.Equal([0, 1, 10, 11, 12, 2, 3, 13, 14, 15], c.Data);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], Tensor.Concat([a, a], 0).Data);

        var s0 = Tensor.Stack([a, a + 10]);
        Assert.Equal([2, 2, 2], s0.Shape);
        Assert.Equal([0, 1, 2, 3, 10, 11, 12, 13], s0.Data);
        var s2 = Tensor.Stack([a, a + 10], axis: -1);
        Assert.Equal([2, 2, 2], s2.Shape);
        Assert.Equal([0, 10, 1, 11, 2, 12, 3, 13], s2.Data);
    }

    [Fact]
    public void Concat_and_stack_errors_name_the_op_and_shapes()
    {
        var ex = Assert.Throws<RnnLabException>(() => Tensor.Concat([Range(2, 2), Range(3, 3)], 1));
        Assert.Contains("Concat", ex.Message);
        Assert.Contains("[2, 2], [3, 3]", ex.Message);
        ex = Assert.Throws<RnnLabException>(() => Tensor.Stack([Range(2, 2), Range(2, 3)]));
        Assert.Contains("Stack", ex.Message);
        Assert.Contains("[2, 2], [2, 3]", ex.Message);
        Assert.Contains("empty", Assert.Throws<RnnLabException>(() => Tensor.Concat([], 0)).Message);
    }

    [Fact]
    public void Split_slice_and_select_cut_along_an_axis()
    {
        var x = Range(2, 4);
        var parts = x.Split(2, 1);
        Assert.Equal([0, 1, 4, 5], parts[0].Data);
        Assert.Equal([2, 3, 6, 7], parts[1].Data);
        var uneven = x.Split([1, 3], 1);
        Assert.Equal([2, 1], uneven[0].Shape);
        Assert.Equal([1, 2, 3, 5, 6, 7], uneven[1].Data);
        Assert.Equal([1, 2, 5, 6], x.Slice(1, 1, 2).Data);
        Assert.Equal([2, 2], x.Slice(1, 1, 2).Shape);
        var step = Range(3, 2, 2).Select(0, 1);                     // step t = 1 of [T, B, I]
        Assert.Equal([2, 2], step.Shape);
        Assert.Equal([4, 5, 6, 7], step.Data);
        Assert.Equal([1, 5], x.Select(-1, 1).Data);
    }

    [Fact]
    public void Split_slice_and_select_errors_name_the_op_and_shapes()
    {
        var ex = Assert.Throws<RnnLabException>(() => Range(2, 5).Split(2, 1));
        Assert.Contains("Split", ex.Message);
        Assert.Contains("[2, 5]", ex.Message);
        Assert.Contains("[2, 5]", Assert.Throws<RnnLabException>(() => Range(2, 5).Split([2, 2], 1)).Message);
        ex = Assert.Throws<RnnLabException>(() => Range(2, 5).Slice(1, 3, 3));
        Assert.Contains("Slice", ex.Message);
        Assert.Contains("[2, 5]", ex.Message);
        ex = Assert.Throws<RnnLabException>(() => Range(2, 5).Select(0, 2));
        Assert.Contains("Select", ex.Message);
        Assert.Contains("[2, 5]", ex.Message);
    }
}
