using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

public sealed class TapeTests
{
    [Fact]
    public void Gradients_accumulate_until_zeroed()
    {
        var w = Tensor.Parameter(Tensor.FromArray([1, 2], 2));
        (w * w).Sum().Backward();
        (w * 3.0).Sum().Backward();
        Assert.Equal([2 + 3, 4 + 3], w.Grad!);                        // d(w²)/dw + d(3w)/dw
        w.ZeroGrad();
        Assert.Equal([0, 0], w.Grad!);
        (w * 3.0).Sum().Backward();
        Assert.Equal([3, 3], w.Grad!);
    }

    [Fact]
    public void A_tensor_used_twice_gets_both_gradients()
    {
        var x = Tensor.Parameter(Tensor.FromArray([3], 1));
        var y = x * x + x.Tanh();                                      // dy/dx = 2x + 1 − tanh²x
        y.Backward();
        Assert.Equal(6 + 1 - Math.Pow(Math.Tanh(3), 2), x.Grad![0], 1e-15);
    }

    [Fact]
    public void Backward_with_an_explicit_output_gradient()
    {
        var x = Tensor.Parameter(Tensor.FromArray([1, 2, 3], 3));
        (x * x).Backward(Tensor.FromArray([1, 0, -1], 3));
        Assert.Equal([2, 0, -6], x.Grad!);
        var ex = Assert.Throws<RnnLabException>(() => (x * x).Backward());
        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[2]", Assert.Throws<RnnLabException>(() => (x * x).Backward(Tensor.Zeros(2))).Message);
    }

    [Fact]
    public void No_grad_scope_records_nothing()
    {
        var w = Tensor.Parameter(Tensor.FromArray([1, 2], 2));
        Tensor y;
        using (Tensor.NoGrad()) y = (w * w).Sum();
        Assert.False(y.RequiresGrad);
        Assert.Contains("NoGrad", Assert.Throws<RnnLabException>(() => y.Backward()).Message);
        Assert.True((w * w).Sum().RequiresGrad);                     // recording resumes after the scope
    }

    [Fact]
    public void Detach_stops_the_gradient()
    {
        var w = Tensor.Parameter(Tensor.FromArray([2], 1));
        var h = w * w;
        var y = h.Detach() * w;                                        // treats h as a constant 4
        y.Backward();
        Assert.Equal([4], w.Grad!);
        Assert.False(h.Detach().RequiresGrad);
    }

    [Fact]
    public void Intermediate_gradients_are_readable_after_backward()
    {
        // h1 = tanh(w x), h2 = tanh(w h1), L = h2:  ∂L/∂h1 = (1 − h2²) w
        var w = Tensor.Parameter(Tensor.FromArray([0.7], 1));
        var x = Tensor.FromArray([1.5], 1);
        var h1 = (w * x).Tanh();
        var h2 = (w * h1).Tanh();
        h2.Backward();
        Assert.Equal((1 - h2.Data[0] * h2.Data[0]) * 0.7, h1.Grad![0], 1e-15);
        Assert.Equal([1.0], h2.Grad!);
    }

    [Fact]
    public void A_chain_of_100000_ops_backpropagates_without_recursion()
    {
        var x = Tensor.Parameter(Tensor.FromArray([1], 1));
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y * 1.0 + 0.0;          // 200,000 nodes
        y.Sum().Backward();
        Assert.Equal([1.0], x.Grad!);
    }

    [Fact]
    public void A_second_backward_through_a_freed_graph_is_a_clear_error()
    {
        var w = Tensor.Parameter(Tensor.FromArray([1, 2], 2));
        var loss = (w * w).Sum();
        loss.Backward();
        var ex = Assert.Throws<RnnLabException>(() => loss.Backward());
        Assert.Contains("already freed", ex.Message);
        Assert.Contains("retainGraph", ex.Message);

        var kept = (w * w).Sum();
        kept.Backward(retainGraph: true);
        kept.Backward();                                              // allowed once retained
        Assert.Equal([2 + 4 + 4, 4 + 8 + 8], w.Grad!);               // 2w from the first loss, then twice more
    }

    [Fact]
    public void Anomaly_detection_names_the_first_op_that_made_a_nan_in_forward()
    {
        var a = Tensor.Parameter(Tensor.Zeros(2, 3));
        using var _ = Tensor.DetectAnomaly();
        var ex = Assert.Throws<RnnLabException>(() => ((a / a) * 2.0).Sum());   // 0/0
        Assert.StartsWith("Div: forward produced NaN", ex.Message);
        Assert.Contains("[2, 3], [2, 3]", ex.Message);
    }

    [Fact]
    public void Anomaly_detection_names_the_op_whose_backward_made_an_inf()
    {
        var a = Tensor.Parameter(Tensor.FromArray([1], 1));
        var b = Tensor.Parameter(Tensor.FromArray([1e-200], 1));
        using var _ = Tensor.DetectAnomaly();
        var loss = (a / b * 1e-200).Sum();                            // forward is finite (1); ∂/∂b = −a/b² overflows
        var ex = Assert.Throws<RnnLabException>(() => loss.Backward());
        Assert.StartsWith("Div: backward produced Inf", ex.Message);
        Assert.Contains("[1], [1]", ex.Message);
    }

    [Fact]
    public void Without_anomaly_detection_nothing_is_checked()
    {
        var a = Tensor.Zeros(1);
        Assert.True(double.IsNaN((a / a).Item()));
    }
}

public sealed class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_runs_and_its_gradient_checks()
    {
        var rng = new Rng(seed: 1);
        var w = Tensor.Parameter(Tensor.Normal(rng, 0, 0.1, 3, 4), "weight");
        var x = Tensor.Normal(rng, 0, 1, 2, 4);
        var loss = Tensor.CrossEntropy(Tensor.MatMul(x, w, transposeB: true).Tanh(), [0, 2]);
        loss.Backward();
        Assert.Equal([3, 4], w.GradTensor().Shape);
        var grad = w.Grad!.ToArray();
        var check = GradCheck.Check(p => Tensor.CrossEntropy(Tensor.MatMul(x, p[0], transposeB: true).Tanh(), [0, 2]), [w]);
        Assert.True(check.Passed(), check.ToString());
        Assert.Equal(grad, w.Grad!);                                  // GradCheck left w.Grad alone
    }
}
