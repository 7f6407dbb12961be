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
        int chunks = Chunks(count, workPerItem);
        if (chunks <= 1) { body(0, count); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    /// <summary>
    /// The same for a struct body: when the work fits one chunk (batch 1, small matrices) it runs on the calling thread
    /// and nothing is allocated, where a lambda would allocate its closure on every call.
    /// </summary>
    internal static void For<TBody>(int count, long workPerItem, TBody body) where TBody : struct, IRangeBody
    {
        int chunks = Chunks(count, workPerItem);
        if (chunks <= 1) { body.Run(0, count); return; }
        ForChunks(count, chunks, body);
    }

    // A method of its own, so that the closure over `body` is only allocated when the work really is split.
    private static void ForChunks<TBody>(int count, int chunks, TBody body) where TBody : struct, IRangeBody =>
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            body.Run((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));

    // How many chunks to split `count` items into: one per thread at most, and at least 2^16 multiply-adds (say) per chunk,
    // below which handing work to another thread costs more than it saves.
    private static int Chunks(int count, long workPerItem)
    {
        const long minWorkPerChunk = 1 << 16;
        return (int)Math.Min(Math.Min(MaxThreads, count), Math.Max(1, count * workPerItem / minWorkPerChunk));
    }
}

/// <summary>A loop body over the items [start, end) of a <see cref="Parallelism.For{TBody}"/>.</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}
