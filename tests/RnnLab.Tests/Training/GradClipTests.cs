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
    public void Clip_by_value_on_long_gradients_is_Math_Clamp_element_by_element_and_keeps_NaN()
    {
        // 11 values: two full vectors and a tail, with NaN, ±∞, −0 and values exactly at the bounds.
        double[] grad = [-7, 2, double.NaN, 5, -5, double.PositiveInfinity, -0.0, 4.999, double.NegativeInfinity, 6, -1e300];
        var a = WithGrad(grad);
        a.Grad![6] = -0.0;   // Backward adds into a zero buffer, which turns −0 into +0; put it back
        var before = (double[])a.Grad.Clone();
        GradClip.ClipGradValue([a], 5);
        for (int i = 0; i < grad.Length; i++)
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Clamp(before[i], -5, 5)), BitConverter.DoubleToInt64Bits(a.Grad[i]));
    }

    [Fact]
    public void Clip_by_norm_on_long_gradients_scales_every_element_by_the_same_factor()
    {
        var rng = new Rng(4);
        var grads = new[] { 13, 4, 1 }.Select(n => Enumerable.Range(0, n).Select(_ => rng.Uniform(-3, 3)).ToArray()).ToArray();
        var ps = grads.Select(g => WithGrad(g)).ToArray();
        double norm = Math.Sqrt(grads.Sum(g => g.Sum(v => v * v)));
        Assert.Equal(norm, GradClip.ClipGradNorm(ps, 1.0), 1e-12);
        double coef = 1.0 / (GradClip.GradNorm(grads.Select(g => WithGrad(g))) + 1e-6);
        for (int k = 0; k < grads.Length; k++)
            for (int i = 0; i < grads[k].Length; i++) Assert.Equal(grads[k][i] * coef, ps[k].Grad![i]);
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
