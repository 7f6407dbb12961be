using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Tests.Autodiff;

using static RnnLab.Tests.Performance.ThreadCount;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The W1 paths added for two-thread scaling: the packed W_hhᵀ reused across a layer's time steps (PackScope) gives the
/// numbers of stepping the cell by hand, also after the weights change in place; the cross-entropy split over rows gives
/// the same bits on 1, 2 and 3 threads, and so do the column scatter of a one-hot weight gradient split by rows and a
/// Stack split by input (also when one tensor is stacked twice).
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class ParallelPathTests
{
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

    [Fact]
    public void A_one_hot_weight_gradient_split_by_rows_is_bit_identical_across_thread_counts()
    {
        const int gates = 600, batch = 40, inputs = 65;                // dW_ih += dzᵀ x with one-hot x: the sparse-B path
        var rng = new Rng(37);
        var dz = Enumerable.Range(0, batch * gates).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var x = new double[batch * inputs];
        for (int b = 0; b < batch; b++) x[b * inputs + rng.NextInt(inputs)] = 1;
        var start = Enumerable.Range(0, gates * inputs).Select(_ => rng.Uniform(-1, 1)).ToArray();
        double[] Run()
        {
            var c = (double[])start.Clone();
            Gemm.Run(true, false, gates, inputs, batch, dz, 0, x, 0, c, 0);
            return c;
        }
        var one = WithThreads(1, Run);
        for (int i = 0; i < gates; i++)                                  // and it is the product: Σ_b dz[b, i] x[b, j], b in order
            for (int j = 0; j < inputs; j++)
            {
                double expected = start[i * inputs + j];
                for (int b = 0; b < batch; b++)
                    if (x[b * inputs + j] != 0) expected = Math.FusedMultiplyAdd(dz[b * gates + i], x[b * inputs + j], expected);
                Assert.Equal(expected, one[i * inputs + j]);
            }
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(3, Run));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Stacking_many_steps_gives_the_same_values_and_gradients_on_one_two_and_three_threads(bool oneTensorTwice)
    {
        const int steps = 64, batch = 32, hidden = 128;                // W1's [B, T, H] output from 64 [B, H] steps
        List<double[]> Run()
        {
            var rng = new Rng(41);
            var hs = Enumerable.Range(0, steps).Select(t => Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, hidden), $"h{t}")).ToArray();
            if (oneTensorTwice) hs[5] = hs[3];
            var y = Tensor.Stack(hs, axis: 1);                          // [B, T, H]
            for (int b = 0; b < batch; b++)                             // y[b, t, :] = h_t[b, :]
                for (int t = 0; t < steps; t++)
                    Assert.True(hs[t].Data.AsSpan(b * hidden, hidden).SequenceEqual(y.Data.AsSpan((b * steps + t) * hidden, hidden)));
            (y * Tensor.Normal(rng, 0, 1, batch, steps, hidden)).Sum().Backward();
            return [y.Data, .. hs.Select(h => h.Grad!)];
        }
        var one = WithThreads(1, Run);
        Assert.Equal(one, WithThreads(2, Run));
        Assert.Equal(one, WithThreads(3, Run));
    }
}
