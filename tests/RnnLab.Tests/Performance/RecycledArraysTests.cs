using System.Runtime.CompilerServices;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Performance;

/// <summary>
/// Tests that count on what the garbage collector does between two of their lines run alone, never beside other tests:
/// another test's collection in between (a GC.Collect, or one RecycledArrays forces) would trim the free list, so an
/// array one collection put there could be gone at the next line (seen once in ~30 runs of the whole suite).
/// </summary>
[CollectionDefinition(nameof(GarbageCollectorCollection), DisableParallelization = true)]
public sealed class GarbageCollectorCollection;

/// <summary>
/// Large arrays are reused only once nothing can reach them: an array a tensor, a gradient or a bare variable still
/// holds keeps its values through any amount of churn and collections, and a dropped one is handed out again.
/// </summary>
[Collection(nameof(GarbageCollectorCollection))]
public sealed class RecycledArraysTests
{
    private const int Large = 20_000;   // doubles: above the large-object size (10,625)

    // Makes and drops many large arrays of one length, filled with garbage, with full collections in between.
    private static void Churn(int length, int rounds = 40)
    {
        for (int r = 0; r < rounds; r++)
        {
            Array.Fill(RecycledArrays.Uninitialized(length), double.NaN);
            if (r % 8 == 7) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }
    }

    [Fact]
    public void An_array_still_held_is_never_handed_out_again()
    {
        var held = RecycledArrays.Uninitialized(Large);
        for (int i = 0; i < held.Length; i++) held[i] = i;
        var seen = new HashSet<double[]>(ReferenceEqualityComparer.Instance);
        for (int r = 0; r < 60; r++)
        {
            seen.Add(RecycledArrays.Uninitialized(Large));
            if (r % 6 == 5) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }
        Assert.DoesNotContain(held, seen);
        for (int i = 0; i < held.Length; i++) Assert.Equal(i, held[i]);
    }

    [Fact]
    public void A_dropped_array_is_handed_out_again()
    {
        const int length = Large + 11;   // a length no other test uses
        var weak = DropOne(length);
        GC.Collect(); GC.WaitForPendingFinalizers();
        Assert.True(weak.TryGetTarget(out var again), "the GC should not have freed it: its sentinel put it on the free list");
        var reused = RecycledArrays.Uninitialized(length);
        Assert.Same(again, reused);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<double[]> DropOne(int length) => new(RecycledArrays.Uninitialized(length), trackResurrection: true);

    [Fact]
    public void Zeroed_clears_a_reused_array()
    {
        const int length = Large + 23;
        Churn(length);
        GC.Collect(); GC.WaitForPendingFinalizers();
        for (int r = 0; r < 10; r++) Assert.All(RecycledArrays.Zeroed(length), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Small_arrays_are_plain_GC_arrays()
    {
        var weak = DropOne(100);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        Assert.False(IsAlive(weak));
    }

    [Fact]
    public void Tensor_data_and_gradients_a_user_keeps_survive_later_training_steps()
    {
        var rng = new Rng(5);
        var lstm = new Lstm(30, 48, rng, batchFirst: true);
        var head = new Linear(48, 30, rng);
        Tensor[] ps = [.. lstm.Parameters(), .. head.Parameters()];
        var adam = new Adam(ps, learningRate: 1e-2);
        var idx = Enumerable.Range(0, 16 * 40).Select(_ => rng.NextInt(30)).ToArray();
        var x = Tensor.OneHot(idx, 30).Reshape(16, 40, 30);
        var targets = idx.Select(i => (i + 3) % 30).ToArray();

        double[] keptData = [], keptGrad = [], dataCopy = [], gradCopy = [];
        IReadOnlyList<LstmStep> keptSteps = [];
        double[] gateCopy = [];
        for (int step = 0; step < 12; step++)
        {
            adam.ZeroGrad();
            var run = lstm.Forward(x);
            if (step == 2) gateCopy = (double[])lstm.Forward(x).Steps[0][9].F.Data.Clone();   // the same weights: the same gates
            var loss = Tensor.CrossEntropy(head.Forward(run.Output.Reshape(16 * 40, 48)), targets);
            loss.Backward();
            adam.Step();
            if (step == 2)
            {
                keptData = run.Output.Data; keptGrad = run.Output.Grad!; keptSteps = run.Steps[0];   // only the arrays
                dataCopy = (double[])keptData.Clone(); gradCopy = (double[])keptGrad.Clone();
            }
            GC.Collect(); GC.WaitForPendingFinalizers();
        }
        Assert.Equal(dataCopy, keptData);
        Assert.Equal(gradCopy, keptGrad);
        Assert.Equal(gateCopy, keptSteps[9].F.Data);   // made only now, from the per-sequence gates the op kept
    }

    [Fact]
    public void A_returned_array_is_handed_out_again_and_later_still_comes_back_through_the_GC()
    {
        const int length = Large + 37;
        var weak = ReturnTakeAndDrop(length);
        GC.Collect(); GC.WaitForPendingFinalizers();
        Assert.True(weak.TryGetTarget(out var again));
        Assert.Same(again, RecycledArrays.Uninitialized(length));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<double[]> ReturnTakeAndDrop(int length)
    {
        var scratch = RecycledArrays.Uninitialized(length);
        RecycledArrays.Return(scratch);
        var taken = RecycledArrays.Uninitialized(length);
        Assert.Same(scratch, taken);
        return new(taken, trackResurrection: true);
    }

    [Fact]
    public void Lengths_nobody_asks_for_any_more_are_let_go_at_the_next_collections()
    {
        const int stale = Large + 53;
        var weak = DropOne(stale);
        GC.Collect(); GC.WaitForPendingFinalizers();
        Assert.True(IsAlive(weak), "on the free list after the first collection");
        for (int round = 0; round < 3; round++)   // other lengths are taken and given back; this one is not asked for
        {
            RecycledArrays.Return(RecycledArrays.Uninitialized(Large * 8));
            GC.Collect(); GC.WaitForPendingFinalizers();
        }
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        Assert.False(IsAlive(weak));
    }

    [Fact]
    public void A_large_heap_spaces_the_collections_out()
    {
        Assert.True(HoldingOthers(megabytes: 480) >= 240L << 20, "half of 480 MB held elsewhere: at least 240 MB between collections");
        RecycledArrays.Collect();                                      // the 480 MB are gone
        Assert.True(RecycledArrays.CollectAfterBytes < 200L << 20, $"{RecycledArrays.CollectAfterBytes >> 20} MB after they went");
    }

    // RecycledArrays.CollectAfterBytes after a collection while the program holds `megabytes` of other arrays (as a
    // notebook kernel holds its own objects).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long HoldingOthers(int megabytes)
    {
        var others = new double[megabytes / 8][];
        for (int i = 0; i < others.Length; i++) others[i] = new double[1 << 20];
        RecycledArrays.Collect();
        GC.KeepAlive(others);
        return RecycledArrays.CollectAfterBytes;
    }

    // In a method of its own, so that no temporary in the test's frame keeps the array alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<double[]> weak) => weak.TryGetTarget(out _);
}
