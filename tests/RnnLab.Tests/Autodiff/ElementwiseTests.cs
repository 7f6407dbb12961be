using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class ElementwiseTests
{
    private static readonly Tensor M = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void Broadcasts_a_bias_row_a_column_and_a_scalar()
    {
        Assert.Equal([11, 22, 33, 14, 25, 36], (M + Tensor.FromArray([10, 20, 30], 3)).Data);
        Assert.Equal([0, 1, 2, 2, 3, 4], (M - Tensor.FromArray([1, 2], 2, 1)).Data);
        Assert.Equal([2, 4, 6, 8, 10, 12], (M * 2.0).Data);
        Assert.Equal([1, 0.5, 1 / 3.0, 0.25, 0.2, 1 / 6.0], (1.0 / M).Data);
        Assert.Equal([-1, -2, -3, -4, -5, -6], (-M).Data);
        var outer = Tensor.FromArray([1, 2], 2, 1) * Tensor.FromArray([1, 10, 100], 1, 3);   // [2, 1] · [1, 3] → [2, 3]
        Assert.Equal([2, 3], outer.Shape);
        Assert.Equal([1, 10, 100, 2, 20, 200], outer.Data);
    }

    [Fact]
    public void Broadcast_gradients_sum_over_the_repeated_dimensions()
    {
        var x = Tensor.Parameter(M);
        var bias = Tensor.Parameter(Tensor.FromArray([1, 1, 1], 3));
        var col = Tensor.Parameter(Tensor.FromArray([2, 3], 2, 1));
        ((x + bias) * col).Sum().Backward();
        Assert.Equal([2, 2, 2, 3, 3, 3], x.Grad!);
        Assert.Equal([5, 5, 5], bias.Grad!);                            // Σ over rows of col
        Assert.Equal([6 + 3, 15 + 3], col.Grad!);                       // Σ over columns of x + 1
    }

    [Fact]
    public void Shape_mismatch_names_the_op_and_shapes()
    {
        var ex = Assert.Throws<RnnLabException>(() => M * Tensor.Zeros(2));
        Assert.StartsWith("Mul: cannot broadcast [2, 3] with [2]", ex.Message);
    }

    [Fact]
    public void Batched_matmul_shares_a_2d_operand_across_the_batch()
    {
        var a = Tensor.FromArray([1, 0, 0, 1, 2, 0, 0, 2], 2, 2, 2);   // I and 2I
        var b = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var y = Tensor.MatMul(a, b);
        Assert.Equal([2, 2, 2], y.Shape);
        Assert.Equal([1, 2, 3, 4, 2, 4, 6, 8], y.Data);
        var ex = Assert.Throws<RnnLabException>(() => Tensor.MatMul(Tensor.Zeros(2, 2, 3), Tensor.Zeros(3, 3, 2)));
        Assert.Contains("[2, 2, 3]", ex.Message);
        Assert.Contains("[3, 3, 2]", ex.Message);
    }
}
