using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;
using RnnLab.Tests.Autodiff;

using static RnnLab.Tests.Performance.ThreadCount;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The optimised paths give the same bits on 1, 2 and 3 threads: a W1-shaped training step (one-hot input, fused LSTM,
/// row-parallel kernels and gate passes, clip, Adam) and every Gemm variant at sizes that really split over threads.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class ThreadCountTests
{
    // Two training steps of a small char-LSTM (B=32 so the kernels split their rows), returning the loss,
    // the outputs and the parameters after the updates.
    private static List<double[]> TrainTwoSteps()
    {
        const int v = 20, hidden = 64, batch = 32, steps = 4;
        var rng = new Rng(17);
        var lstm = new Lstm(v, hidden, rng, batchFirst: true);
        var head = new Linear(hidden, v, rng);
        Tensor[] ps = [.. lstm.Parameters(), .. head.Parameters()];
        var adam = new Adam(ps, learningRate: 2e-3);
        var idx = Enumerable.Range(0, batch * steps).Select(_ => rng.NextInt(v)).ToArray();
        var x = Tensor.OneHot(idx, v).Reshape(batch, steps, v);
        var targets = idx.Select(i => (i + 1) % v).ToArray();
        var results = new List<double[]>();
        for (int step = 0; step < 2; step++)
        {
            adam.ZeroGrad();
            var output = lstm.Forward(x).Output;
            var loss = Tensor.CrossEntropy(head.Forward(output.Reshape(batch * steps, hidden)), targets);
            loss.Backward();
            GradClip.ClipGradNorm(ps, 5.0);
            adam.Step();
            results.Add(loss.Data);
            results.Add(output.Data);
        }
        results.AddRange(ps.Select(p => (double[])p.Data.Clone()));
        return results;
    }

    [Fact]
    public void A_char_lstm_training_step_is_bit_identical_on_one_two_and_three_threads()
    {
        var one = WithThreads(1, TrainTwoSteps);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = WithThreads(threads, TrainTwoSteps);
            for (int k = 0; k < one.Count; k++) Assert.Equal(one[k], other[k]);   // exact bits
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Every_gemm_variant_is_bit_identical_across_thread_counts(bool ta, bool tb)
    {
        const int m = 67, n = 130, k = 300;   // 17 row blocks of 4 with a leftover row; many chunks of work
        var rng = new Rng(9);
        var a = Enumerable.Range(0, m * k).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.Uniform(-1, 1)).ToArray();
        double[] Run(int threads) => WithThreads(threads, () =>
        {
            var c = new double[m * n];
            Gemm.Run(ta, tb, m, n, k, a, 0, b, 0, c, 0);
            return c;
        });
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }
}
