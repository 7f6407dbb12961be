using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Tests.Autodiff;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The W1 paths added for two-thread scaling: the packed W_hhᵀ reused across a layer's time steps (PackScope) gives the
/// numbers of stepping the cell by hand, also after the weights change in place; the cross-entropy split over rows gives
/// the same bits on 1, 2 and 3 threads.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class ParallelPathTests
{
    private static T WithThreads<T>(int threads, Func<T> run)
    {
        int saved = Parallelism.MaxThreads;
        try { Parallelism.MaxThreads = threads; return run(); }
        finally { Parallelism.MaxThreads = saved; }
    }

    // batch 8 and dense inputs: the blocked kernel (which packs op(B)) runs for both projections at every step; W_ih and
    // W_hh have the same shape, so only the array itself tells their panels apart.
    [Fact]
    public void A_layer_reusing_its_packed_weights_equals_the_cell_stepped_by_hand_also_after_an_in_place_update()
    {
        const int batch = 8, inputs = 12, hidden = 12, steps = 5;
        var rng = new Rng(23);
        var lstm = new Lstm(inputs, hidden, rng);
        var x = Tensor.Uniform(rng, -1, 1, steps, batch, inputs);
        double[] ByHand()
        {
            LstmState? state = null;
            var hs = new List<double>();
            for (int t = 0; t < steps; t++) { var s = lstm.Cell(0).Step(x.Select(0, t), state); hs.AddRange(s.H.Data); state = s.State; }
            return [.. hs];
        }
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(ByHand(), lstm.Forward(x).Output.Data);      // exact bits
            Assert.Null(PackScope.Current);                           // the scope closes with the forward
            foreach (var p in lstm.Parameters())                      // an optimiser step writes the weights in place
                for (int i = 0; i < p.Size; i++) p.Data[i] += 0.01 * Math.Sin(i + round);
        }

        var gru = new Gru(inputs, hidden, rng);
        Tensor? h = null;
        var byHand = new List<double>();
        for (int t = 0; t < steps; t++) { var s = gru.Cell(0).Step(x.Select(0, t), h); byHand.AddRange(s.H.Data); h = s.H; }
        Assert.Equal(byHand.ToArray(), gru.Forward(x).Output.Data);
    }

    [Fact]
    public void Cross_entropy_over_many_rows_is_bit_identical_on_one_two_and_three_threads()
    {
        const int rows = 3000, classes = 40;                          // enough rows that forward and backward split
        var rng = new Rng(29);
        var logits = Tensor.Normal(rng, 0, 3, rows, classes);
        var targets = Enumerable.Range(0, rows).Select(r => r % 7 == 0 ? -100 : rng.NextInt(classes)).ToArray();
        List<double[]> Run()
        {
            var z = Tensor.Parameter(logits);
            var loss = Tensor.CrossEntropy(z, targets);
            loss.Backward();
            return [loss.Data, z.Grad!];
        }
        var one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(3, Run));
    }
}
