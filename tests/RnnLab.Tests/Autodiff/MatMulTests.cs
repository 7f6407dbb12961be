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
}
