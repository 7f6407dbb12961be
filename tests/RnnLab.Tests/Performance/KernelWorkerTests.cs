using RnnLab.Autodiff;
using RnnLab.Tests.Autodiff;

using static RnnLab.Tests.Performance.ThreadCount;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The kernel workers behind <see cref="Parallelism.For(int, long, Action{int, int})"/>: every item runs exactly once,
/// pieces go to whichever thread is free, a worker's exception reaches the caller, a region inside a region and regions
/// from several threads at once still finish (they fall back to the thread pool), and the workers wake up again after
/// sleeping.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class KernelWorkerTests
{
    private static int[] CountVisits(int count)
    {
        var visits = new int[count];
        Parallelism.For(count, 1 << 16, (start, end) => { for (int i = start; i < end; i++) Interlocked.Increment(ref visits[i]); });
        return visits;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_item_runs_exactly_once_many_regions_in_a_row(int threads) => WithThreads(threads, () =>
    {
        for (int region = 0; region < 2000; region++)
            Assert.All(CountVisits(7 + region % 5), v => Assert.Equal(1, v));
    });

    [Fact]
    public void Pieces_go_to_whichever_thread_is_free() => WithThreads(2, () =>
    {
        // The thread that takes piece 0 holds it until the other 7 pieces have run: only the other thread can run them
        // (with the items split in fixed halves, 3 of them would wait behind piece 0, and it would time out).
        int othersDone = 0;
        bool waitedOut = false;
        Parallelism.For(8, 1 << 16, (start, end) =>
        {
            if (start == 0) waitedOut = !SpinWait.SpinUntil(() => Volatile.Read(ref othersDone) == 7, TimeSpan.FromSeconds(10));
            else Interlocked.Increment(ref othersDone);
        });
        Assert.False(waitedOut, $"only {othersDone} of the other 7 pieces ran while piece 0 was held");
    });

    [Fact]
    public void Workers_wake_up_after_sleeping() => WithThreads(2, () =>
    {
        Assert.All(CountVisits(10), v => Assert.Equal(1, v));
        Thread.Sleep(20); // far longer than the workers spin
        Assert.All(CountVisits(10), v => Assert.Equal(1, v));
    });

    [Fact]
    public void An_exception_in_a_piece_reaches_the_caller_and_the_workers_keep_working() => WithThreads(2, () =>
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Parallelism.For(10, 1 << 16, (start, end) => { if (start > 0) throw new InvalidOperationException("piece " + start); }));
        Assert.Matches("^piece [1-9]$", error.Message);
        Assert.All(CountVisits(10), v => Assert.Equal(1, v));
    });

    [Fact]
    public void A_region_inside_a_region_finishes() => WithThreads(2, () =>
    {
        var visits = new int[4, 6];
        Parallelism.For(4, 1 << 16, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                int row = i;
                Parallelism.For(6, 1 << 16, (s, e) => { for (int j = s; j < e; j++) Interlocked.Increment(ref visits[row, j]); });
            }
        });
        Assert.All(visits.Cast<int>(), v => Assert.Equal(1, v));
    });

    [Fact]
    public void Regions_from_several_threads_at_once_all_finish() => WithThreads(2, () =>
    {
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int region = 0; region < 300; region++)
                Assert.All(CountVisits(9), v => Assert.Equal(1, v));
        })).ToArray();
        Assert.True(Task.WaitAll(callers, TimeSpan.FromSeconds(60)), "parallel regions from four threads did not finish");
    });
}
