using RnnLab.Autodiff;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class GradClipTests
{
    private static Tensor WithGrad(params double[] grad)
    {
        var p = Tensor.Parameter(Tensor.Zeros(grad.Length));
        p.Backward(Tensor.FromArray(grad));   // sets ∂L/∂p = grad
        return p;
    }

    [Fact]
    public void Clip_by_norm_returns_the_norm_before_clipping_and_rescales_all_together()
    {
        var a = WithGrad(3, 0);
        var b = WithGrad(0, 4);   // global norm √(9 + 16) = 5
        double norm = GradClip.ClipGradNorm([a, b], 1.0);
        Assert.Equal(5.0, norm, 1e-12);
        double coef = 1.0 / (5.0 + 1e-6);
        Assert.Equal(3 * coef, a.Grad![0], 1e-15);
        Assert.Equal(4 * coef, b.Grad![1], 1e-15);
        Assert.Equal(1.0, GradClip.GradNorm([a, b]), 1e-6);
    }

    [Fact]
    public void Clip_by_norm_leaves_small_gradients_unchanged()
    {
        var a = WithGrad(0.3, -0.4);
        Assert.Equal(0.5, GradClip.ClipGradNorm([a], 1.0), 1e-15);
        Assert.Equal([0.3, -0.4], a.Grad!);
    }

    [Fact]
    public void Clip_by_norm_reports_a_non_finite_norm_without_touching_the_gradients()
    {
        var a = WithGrad(double.NaN, 1);
        Assert.True(double.IsNaN(GradClip.ClipGradNorm([a], 1.0)));
        Assert.Equal(1.0, a.Grad![1]);
    }

    [Fact]
    public void Clip_by_value_clamps_each_element()
    {
        var a = WithGrad(-7, 2, 5.5);
        GradClip.ClipGradValue([a], 5);
        Assert.Equal([-5.0, 2.0, 5.0], a.Grad!);
        Assert.Throws<RnnLabException>(() => GradClip.ClipGradValue([a], 0));
        Assert.Throws<RnnLabException>(() => GradClip.ClipGradNorm([a], -1));
    }
}
