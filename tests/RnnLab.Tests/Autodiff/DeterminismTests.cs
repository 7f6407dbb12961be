using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

/// <summary>Tests that change <see cref="Parallelism.MaxThreads"/> (a static) run alone, never beside other tests.</summary>
[CollectionDefinition(nameof(ThreadCountCollection), DisableParallelization = true)]
public sealed class ThreadCountCollection;

[Collection(nameof(ThreadCountCollection))]
public sealed class DeterminismTests
{
    // A forward and backward big enough that MatMul really splits its rows over threads
    // ([64, 256] · [256, 256]: 64 rows of 65,536 multiply-adds), with dropout drawing from the seed.
    private static List<double[]> Run(ulong seed, int threads)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var rng = new Rng(seed);
            var x = Tensor.Parameter(Tensor.Normal(rng, 0, 1, 64, 256), "x");
            var w = Tensor.Parameter(Tensor.Normal(rng, 0, 0.1, 256, 256), "w");
            var b = Tensor.Parameter(Tensor.Normal(rng, 0, 0.1, 256), "b");
            var v = Tensor.Parameter(Tensor.Normal(rng, 0, 0.1, 10, 256), "v");
            var targets = Enumerable.Range(0, 64).Select(_ => rng.NextInt(10)).ToArray();

            var h = (Tensor.MatMul(x, w) + b).Tanh().Dropout(0.2, rng.Fork(), training: true);    // [64, 256]
            var g = Tensor.MatMul(h, w, transposeB: true).Sigmoid();                              // [64, 256]
            var logits = Tensor.MatMul(Tensor.MatMul(g, w, transposeA: false), v, transposeB: true);  // [64, 10]
            var loss = Tensor.CrossEntropy(logits, targets) + Tensor.MatMul(h, g, transposeA: true).Square().Mean();
            loss.Backward();
            return [loss.Data, h.Data, logits.Data, x.Grad!, w.Grad!, b.Grad!, v.Grad!];
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void Same_seed_gives_bit_identical_values_and_gradients_on_one_and_two_threads()
    {
        var one = Run(11, threads: 1);
        var two = Run(11, threads: 2);
        var again = Run(11, threads: 2);
        for (int i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i], two[i]);      // exact: Assert.Equal on double[] compares bits, no tolerance
            Assert.Equal(two[i], again[i]);
        }
        Assert.NotEqual(one[0], Run(12, threads: 2)[0]);   // and the seed does matter
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 8)]
    public void The_workload_is_cut_into_one_piece_on_one_thread_and_four_per_thread_on_more(int threads, int expectedPieces)
    {
        int saved = Parallelism.MaxThreads, pieces = 0;
        try
        {
            Parallelism.MaxThreads = threads;
            Parallelism.For(64, 256L * 256, (_, _) => Interlocked.Increment(ref pieces));   // MatMul's rows and work per row above
            Assert.Equal(expectedPieces, pieces);
        }
        finally { Parallelism.MaxThreads = saved; }
    }
}
