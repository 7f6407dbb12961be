namespace RnnLab.Autodiff;

/// <summary>
/// How many threads RnnLab's kernels may use. Work is split by output rows, and every row is
/// computed by one thread in a fixed order, so results are bit-identical for any thread count.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Threads the kernels may use (default: the number of cores). 1 means no parallelism.</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value
            : throw new RnnLabException($"Parallelism.MaxThreads: must be at least 1, got {value}");
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in contiguous chunks, in parallel when worth it.</summary>
    internal static void For(int count, long workPerItem, Action<int, int> body)
    {
        const long minWorkPerChunk = 1 << 16;   // below this, thread hand-off costs more than it saves
        int chunks = (int)Math.Min(Math.Min(MaxThreads, count), Math.Max(1, count * workPerItem / minWorkPerChunk));
        if (chunks <= 1) { body(0, count); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
