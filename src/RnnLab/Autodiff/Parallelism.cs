using System.Runtime.ExceptionServices;

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

    // True on a thread while it runs a chunk of a region (always on the kernel workers). A region opened there runs
    // serially on that thread: the other threads are busy with their own chunks, so splitting again would only
    // oversubscribe the cores (a recurrent layer runs each thread's batch rows through all time steps in one region,
    // and the small products inside it must not fan out again).
    [ThreadStatic] private static bool _inRegion;

    internal static bool InRegion { get => _inRegion; set => _inRegion = value; }

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in contiguous chunks, in parallel when worth it.</summary>
    internal static void For(int count, long workPerItem, Action<int, int> body)
    {
        int chunks = Chunks(count, workPerItem);
        if (chunks <= 1) { body(0, count); return; }
        RunChunks(count, chunks, body);
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
        RunChunks(count, chunks, (start, end) => body.Run(start, end));

    // Chunk c covers items [count·c/chunks, count·(c+1)/chunks). The calling thread runs chunk 0 and the kernel workers
    // the others. A training step opens hundreds of such regions of 0.1–1 ms each; the workers stay awake between them
    // (see KernelWorkers), because waking a sleeping thread costs tens of microseconds each time. When the workers are
    // already busy (kernels called from several threads at once) the region goes to the .NET thread pool instead.
    // Either way every chunk is the same, so the results are too. A region inside a region runs serially (see _inRegion).
    private static void RunChunks(int count, int chunks, Action<int, int> body)
    {
        if (!KernelWorkers.TryRun(count, chunks, body))
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
            {
                bool outer = _inRegion;
                _inRegion = true;
                try { body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)); }
                finally { _inRegion = outer; }
            });
    }

    // How many chunks to split `count` items into: one per thread at most, and at least 2^16 multiply-adds (say) per chunk,
    // below which handing work to another thread costs more than it saves.
    private static int Chunks(int count, long workPerItem)
    {
        const long minWorkPerChunk = 1 << 16;
        if (_inRegion) return 1;
        return (int)Math.Min(Math.Min(MaxThreads, count), Math.Max(1, count * workPerItem / minWorkPerChunk));
    }
}

/// <summary>A loop body over the items [start, end) of a <see cref="Parallelism.For{TBody}"/>.</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>
/// Background threads that run the chunks of one parallel region at a time (a region inside a region never gets here:
/// it runs serially on the thread that opened it). After a chunk a worker spins for
/// <see cref="SpinTime"/> waiting for the next one before it goes to sleep, so back-to-back regions (the gate pass,
/// then the products, then the next time step) do not pay a thread wake-up each.
/// </summary>
internal static class KernelWorkers
{
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(0.5);
    private static readonly object Grow = new();
    private static Worker[] _workers = [];
    private static int _busy; // 1 while a region uses the workers

    /// <summary>Runs the region on the workers, or returns false when they are busy with another region.</summary>
    public static bool TryRun(int count, int chunks, Action<int, int> body)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            Worker[] workers = Ensure(chunks - 1);
            for (int c = 1; c < chunks; c++)
                workers[c - 1].Post(body, (int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks));
            Exception? first = null;
            Parallelism.InRegion = true;
            try { body(0, (int)((long)count / chunks)); }
            catch (Exception e) { first = e; }
            finally { Parallelism.InRegion = false; }
            for (int c = 1; c < chunks; c++)
                first ??= workers[c - 1].WaitDone();
            if (first is not null) ExceptionDispatchInfo.Capture(first).Throw();
            return true;
        }
        finally { Volatile.Write(ref _busy, 0); }
    }

    private static Worker[] Ensure(int n)
    {
        if (_workers.Length >= n) return _workers;
        lock (Grow)
        {
            var grown = new Worker[n];
            _workers.CopyTo(grown, 0);
            for (int i = _workers.Length; i < n; i++) grown[i] = new Worker(i);
            _workers = grown;
            return grown;
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private Action<int, int>? _body;
        private int _start, _end;
        private int _posted;   // 1: a chunk is waiting for this worker
        private int _done;     // 1: the chunk has run
        private int _sleeping; // 1: the worker is (about to be) blocked on _wake
        private Exception? _error;

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"RnnLab kernel worker {index + 1}" }.Start();

        public void Post(Action<int, int> body, int start, int end)
        {
            (_body, _start, _end, _error) = (body, start, end, null);
            Volatile.Write(ref _done, 0);
            Volatile.Write(ref _posted, 1);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        public Exception? WaitDone()
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _done) == 0) spinner.SpinOnce(sleep1Threshold: -1);
            return _error;
        }

        private void Loop()
        {
            Parallelism.InRegion = true;   // a worker only ever runs chunks of a region
            while (true)
            {
                WaitForWork();
                Volatile.Write(ref _posted, 0);
                try { _body!(_start, _end); }
                catch (Exception e) { _error = e; }
                _body = null;
                Volatile.Write(ref _done, 1);
            }
        }

        // Spin for a while; then announce that we sleep, look once more (a chunk may have been posted in between), and block.
        private void WaitForWork()
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _posted) == 0)
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) < SpinTime) { Thread.SpinWait(32); continue; }
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref _posted) == 1)
                {
                    // Posted meanwhile: if the poster did not see us asleep, we withdraw; otherwise take its wake-up.
                    if (Interlocked.Exchange(ref _sleeping, 0) == 0) _wake.Wait();
                    return;
                }
                _wake.Wait();
                return;
            }
        }
    }
}
