using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class BpttTests
{
    private static SequenceModel Model() => new(RecurrentKind.Lstm, 2, 3, 2, new Rng(8));

    private static Tensor Inputs()
    {
        var x = Tensor.Uniform(new Rng(3), -1, 1, 7, 1, 2);   // [T = 7, B = 1, I = 2]
        x.RequiresGrad = true;
        return x;
    }

    // ∂(Σ y_5)/∂x_t for every t, where y_5 is the model's output at step 5.
    private static double[] GradOfStep5(Bptt mode, Rng? rng = null)
    {
        var x = Inputs();
        var run = mode.Run(Model(), x, rng: rng);
        run.Output.Select(0, 5).Sum().Backward();
        return Enumerable.Range(0, 7).Select(t => Math.Abs(x.Grad![t * 2]) + Math.Abs(x.Grad[t * 2 + 1])).ToArray();
    }

    [Fact]
    public void All_modes_compute_the_same_forward_numbers_and_carry_the_state()
    {
        var full = Bptt.Full.Run(Model(), Inputs());
        var truncated = Bptt.Truncated(3).Run(Model(), Inputs());
        var randomized = Bptt.Randomized(2.5).Run(Model(), Inputs(), rng: new Rng(1));
        Assert.Equal(full.Output.Data, truncated.Output.Data);
        Assert.Equal(full.Output.Data, randomized.Output.Data);
        Assert.Equal(full.State.H.Data, truncated.State.H.Data);
        Assert.Equal(full.State.C!.Data, truncated.State.C!.Data);
        Assert.Equal([3, 6], truncated.Cuts);
        Assert.Empty(full.Cuts);
    }

    [Fact]
    public void Truncation_cuts_the_gradient_at_the_chunk_boundary()
    {
        var full = GradOfStep5(Bptt.Full);
        var truncated = GradOfStep5(Bptt.Truncated(3));   // chunks [0, 3), [3, 6), [6, 7)
        for (int t = 0; t <= 5; t++) Assert.True(full[t] > 0, $"full BPTT: no gradient at t = {t}");
        for (int t = 0; t < 3; t++) Assert.Equal(0.0, truncated[t]);
        for (int t = 3; t <= 5; t++) Assert.True(truncated[t] > 0, $"truncated: no gradient inside the chunk at t = {t}");
        Assert.Equal(0.0, truncated[6]);   // the future does not affect y_5
        Assert.Equal(full[5], truncated[5], 1e-15);   // within the chunk, nothing changes
    }

    [Fact]
    public void Randomized_truncation_is_unbiased_on_average()
    {
        // Tallec & Ollivier: E[reweighted truncated gradient] = full gradient. Average many seeded draws.
        var full = Signed(Bptt.Full, null);
        var sum = new double[full.Length];
        const int draws = 3000;
        var rng = new Rng(42);
        int cutSomewhere = 0;
        for (int i = 0; i < draws; i++)
        {
            var g = Signed(Bptt.Randomized(3), rng);
            if (g[0] == 0) cutSomewhere++;
            for (int k = 0; k < g.Length; k++) sum[k] += g[k];
        }
        Assert.InRange(cutSomewhere, draws / 2, draws);   // the path from x_0 to y_5 is usually cut...
        for (int k = 0; k < full.Length; k++)               // ...yet the mean gradient matches the full one
            Assert.True(Math.Abs(sum[k] / draws - full[k]) <= 0.1 * Math.Abs(full[k]) + 1e-3,
                $"element {k}: mean {sum[k] / draws}, full {full[k]}");
    }

    private static double[] Signed(Bptt mode, Rng? rng)
    {
        var x = Inputs();
        mode.Run(Model(), x, rng: rng).Output.Select(0, 5).Sum().Backward();
        return x.Grad![..12];   // steps 0 … 5
    }

    [Fact]
    public void Bad_settings_are_explained()
    {
        Assert.Throws<RnnLabException>(() => Bptt.Truncated(0));
        Assert.Throws<RnnLabException>(() => Bptt.Randomized(1));
        Assert.Contains("needs an Rng", Assert.Throws<RnnLabException>(() => Bptt.Randomized(3).Run(Model(), Inputs())).Message);
    }

    [Fact]
    public void Scaling_the_gradient_keeps_the_value_and_multiplies_the_derivative()
    {
        var h = Tensor.Parameter(Tensor.FromArray([0.3, -1.7]));
        var s = new RecurrentState(h).ScaleGradient(2.5);
        Assert.Equal(h.Data, s.H.Data);
        s.H.Sum().Backward();
        Assert.Equal([2.5, 2.5], h.Grad!);
    }
}
