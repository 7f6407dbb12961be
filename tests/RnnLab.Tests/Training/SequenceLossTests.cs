using RnnLab.Autodiff;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class SequenceLossTests
{
    [Fact]
    public void Cross_entropy_averages_over_the_steps_that_count()
    {
        var logits = Tensor.Uniform(new Rng(1), -2, 2, 3, 2, 4);   // [T, B, C]
        int[] targets = [1, 3, 0, SequenceLoss.IgnoreIndex, 2, 2];
        var mask = Tensor.FromArray([1, 1, 1, 1, 0, 1], 3, 2);        // drop (t = 2, b = 0)
        double expected = 0;
        foreach (int i in new[] { 0, 1, 2, 5 })
        {
            var row = logits.Data.AsSpan(i * 4, 4).ToArray();
            double lse = Math.Log(row.Sum(Math.Exp));
            expected += lse - row[targets[i]];
        }
        Assert.Equal(expected / 4, SequenceLoss.CrossEntropy(logits, targets, mask).Item(), 1e-12);
    }

    [Fact]
    public void Masked_mse_ignores_padding_and_checks_gradients()
    {
        var p = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        var y = Tensor.Zeros(2, 2, 2);
        var mask = Tensor.FromArray([1, 0, 1, 1], 2, 2);
        Assert.Equal((1 + 4 + 25 + 36 + 49 + 64) / 6.0, SequenceLoss.Mse(p, y, mask).Item(), 1e-12);
        Assert.Equal((1 + 4 + 9 + 16 + 25 + 36 + 49 + 64) / 8.0, SequenceLoss.Mse(p, y).Item(), 1e-12);
        var check = GradCheck.Check(ts => SequenceLoss.Mse(ts[0], ts[1], mask), [Tensor.Uniform(new Rng(2), -1, 1, 2, 2, 2), y]);
        Assert.True(check.Passed(), check.ToString());
    }

    [Fact]
    public void Last_step_picks_each_sequence_s_last_real_output()
    {
        var outputs = Tensor.FromArray(Enumerable.Range(0, 12).Select(v => (double)v).ToArray(), 3, 2, 2);   // [T, B, H]
        var last = SequenceLoss.LastStep(outputs, [3, 1]);
        Assert.Equal([2, 2], last.Shape);
        Assert.Equal([8, 9, 2, 3], last.Data);   // b = 0 at t = 2; b = 1 at t = 0
        var check = GradCheck.Check(ts => SequenceLoss.LastStep(ts[0], [2, 3]), [outputs]);
        Assert.True(check.Passed(), check.ToString());
        Assert.Throws<RnnLabException>(() => SequenceLoss.LastStep(outputs, [4, 1]));
    }

    [Fact]
    public void Shape_errors_say_what_was_expected()
    {
        Assert.Contains("need 6 targets", Assert.Throws<RnnLabException>(() =>
            SequenceLoss.CrossEntropy(Tensor.Zeros(3, 2, 4), [1, 2])).Message);
        Assert.Contains("mask [T, B] = [3, 2]", Assert.Throws<RnnLabException>(() =>
            SequenceLoss.CrossEntropy(Tensor.Zeros(3, 2, 4), new int[6], Tensor.Ones(2, 3))).Message);
    }
}
