using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class GradCheckTests
{
    [Fact]
    public void Finds_a_wrong_gradient_and_names_the_worst_element()
    {
        // y = x · detach(x): the tape sees dy/dx = x, calculus says 2x; the error is largest where |x| is.
        var x = Tensor.FromArray([0.5, -3, 1], 3);
        x.Name = "x";
        var result = GradCheck.Check(xs => xs[0] * xs[0].Detach(), [x], seed: 7);
        Assert.False(result.Passed());
        var input = Assert.Single(result.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal([1], input.WorstIndex);
        Assert.Equal(2 * input.Analytic, input.Numeric, 1e-6);
        Assert.Equal(Math.Abs(input.Analytic), input.MaxAbsError, 1e-6);
        Assert.Contains("FAILED", result.ToString());
        Assert.Contains("x", result.ToString());
    }

    [Fact]
    public void Passes_a_correct_gradient_and_reports_every_input()
    {
        var a = Tensor.FromArray([1, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([0.5, -1], 2);
        var result = GradCheck.Check(x => (x[0] * x[1]).Tanh(), [a, b], seed: 3);
        Assert.True(result.Passed(), result.ToString());
        Assert.Equal(2, result.Inputs.Count);
        Assert.Equal("input 1", result.Inputs[1].Name);
        Assert.Equal([2], result.Inputs[1].Shape);
        Assert.True(result.MaxRelError < 1e-6);
        Assert.Contains("passed", result.ToString());
    }

    [Fact]
    public void Weights_the_output_randomly_so_a_softmax_gradient_is_really_tested()
    {
        // With a plain sum, Σ softmax = 1 has zero gradient whatever the backward does; a random weighting does not.
        var x = Tensor.FromArray([0.1, 2, -1], 3);
        var result = GradCheck.Check(xs => xs[0].Softmax(), [x], seed: 1);
        Assert.True(result.Passed(), result.ToString());
        Assert.True(result.Inputs[0].Numeric != 0 && Math.Abs(result.Inputs[0].Numeric) > 1e-3);
    }

    [Fact]
    public void Near_zero_gradients_do_not_fail_spuriously()
    {
        var x = Tensor.FromArray([1e-5, -2e-6, 3e-7, 1e3], 4);
        var result = GradCheck.Check(xs => xs[0] * xs[0] * xs[0] * 1e-4, [x]);
        Assert.True(result.Passed(), result.ToString());
    }

    [Fact]
    public void Leaves_inputs_and_captured_parameters_as_they_were()
    {
        var x = Tensor.Parameter(Tensor.FromArray([1, 2, 3], 3), "x");
        var w = Tensor.Parameter(Tensor.FromArray([4, 5, 6], 3), "w");
        (Tensor.Mul(w, w).Sum()).Backward();                       // w.Grad = 2w, from an earlier step
        var before = w.Grad!.ToArray();
        var result = GradCheck.Check(xs => (xs[0] * w).Sigmoid(), [x]);
        Assert.True(result.Passed(), result.ToString());
        Assert.Equal([1, 2, 3], x.Data);
        Assert.Null(x.Grad);
        Assert.Equal(before, w.Grad);
        Assert.Equal([4, 5, 6], w.Data);
    }

    [Fact]
    public void Works_inside_a_no_grad_scope()
    {
        using var _ = Tensor.NoGrad();
        var result = GradCheck.Check(xs => xs[0].Tanh(), [Tensor.FromArray([0.3, -0.7], 2)]);
        Assert.True(result.Passed(), result.ToString());
        Assert.True(result.Inputs[0].MaxAbsError < 1e-8);
    }

    [Fact]
    public void Rejects_bad_arguments_with_clear_messages()
    {
        Assert.Contains("GradCheck", Assert.Throws<RnnLabException>(() => GradCheck.Check(x => x[0], [])).Message);
        Assert.Contains("h must be positive", Assert.Throws<RnnLabException>(() => GradCheck.Check(x => x[0], [Tensor.Zeros(1)], h: 0)).Message);
    }
}
