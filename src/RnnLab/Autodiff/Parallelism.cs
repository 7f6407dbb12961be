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

    // True on a thread while it runs a piece of a region (always on the kernel workers). A region opened there runs
    // serially on that thread: the other threads are busy with their own pieces, so splitting again would only
    // oversubscribe the cores (a recurrent layer runs each thread's batch rows through all time steps in one region,
    // and the small products inside it must not fan out again).
    [ThreadStatic] private static bool _inRegion;

    internal static bool InRegion { get => _inRegion; set => _inRegion = value; }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) in contiguous pieces, in parallel when worth it: up to
    /// <paramref name="piecesPerThread"/> pieces per thread (fewer when each piece reads a large shared operand that does
    /// not stay in cache from one piece to the next).
    /// </summary>
    internal static void For(int count, long workPerItem, Action<int, int> body, int piecesPerThread = PiecesPerThread)
    {
        int pieces = Pieces(count, workPerItem, piecesPerThread);
        if (pieces <= 1) { body(0, count); return; }
        RunPieces(new Region(count, pieces, body));
    }

    /// <summary>
    /// The same for a struct body: when the work fits one piece (batch 1, small matrices) it runs on the calling thread
    /// and nothing is allocated, where a lambda would allocate its closure on every call.
    /// </summary>
    internal static void For<TBody>(int count, long workPerItem, TBody body) where TBody : struct, IRangeBody
    {
        int pieces = Pieces(count, workPerItem, PiecesPerThread);
        if (pieces <= 1) { body.Run(0, count); return; }
        ForPieces(count, pieces, body);
    }

    // A method of its own, so that the closure over `body` is only allocated when the work really is split.
    private static void ForPieces<TBody>(int count, int pieces, TBody body) where TBody : struct, IRangeBody =>
        RunPieces(new Region(count, pieces, (start, end) => body.Run(start, end)));

    // The calling thread and the kernel workers take the region's pieces one after another until none is left, so a
    // thread on a slower core (the two vCPUs of a virtual machine often differ by a third) or one that wakes up late
    // simply takes fewer. A training step opens hundreds of such regions of 0.1–1 ms each; the workers stay awake between
    // them (see KernelWorkers), because waking a sleeping thread costs tens of microseconds each time. When the workers are
    // already busy (kernels called from several threads at once) the region goes to the .NET thread pool instead. Which
    // thread runs which piece never changes a value: every kernel computes each item by itself.
    private static void RunPieces(Region region)
    {
        int threads = Math.Min(MaxThreads, region.Pieces);
        if (!KernelWorkers.TryRun(region, threads))
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => region.TakePieces());
        region.ThrowIfFailed();
    }

    // Pieces per thread unless a kernel asks for fewer: enough to even out cores of different speeds.
    internal const int PiecesPerThread = 4;

    // How many pieces to cut `count` items into: up to piecesPerThread per thread, and at least 2^16 multiply-adds (say)
    // per piece, below which handing work to another thread costs more than it saves.
    private static int Pieces(int count, long workPerItem, int piecesPerThread)
    {
        const long minWorkPerPiece = 1 << 16;
        if (_inRegion || MaxThreads == 1) return 1;
        return (int)Math.Min(Math.Min((long)piecesPerThread * MaxThreads, count), Math.Max(1, count * workPerItem / minWorkPerPiece));
    }
}

/// <summary>
/// One parallel region: <see cref="Pieces"/> contiguous pieces of [0, count), piece p covering
/// [count·p/pieces, count·(p+1)/pieces), handed out in order to whichever thread asks next.
/// </summary>
internal sealed class Region(int count, int pieces, Action<int, int> body)
{
    private int _next = -1;            // the last piece handed out
    private Exception? _error;         // the first exception a piece threw; no piece starts after it

    public int Pieces => pieces;

    /// <summary>Runs pieces on the calling thread until none is left (a region inside one of them runs serially).</summary>
    public void TakePieces()
    {
        bool outer = Parallelism.InRegion;
        Parallelism.InRegion = true;
        try
        {
            for (int p; (p = Interlocked.Increment(ref _next)) < pieces;)
            {
                try { body((int)((long)count * p / pieces), (int)((long)count * (p + 1) / pieces)); }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                    Volatile.Write(ref _next, pieces);
                }
            }
        }
        finally { Parallelism.InRegion = outer; }
    }

    /// <summary>Rethrows (with its stack trace) the first exception a piece threw, once every thread is done.</summary>
    public void ThrowIfFailed()
    {
        if (_error is not null) ExceptionDispatchInfo.Capture(_error).Throw();
    }
}

/// <summary>A loop body over the items [start, end) of a <see cref="Parallelism.For{TBody}"/>.</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>
/// Background threads that help with one parallel region at a time (a region inside a region never gets here: it runs
/// serially on the thread that opened it). After a region a worker spins for <see cref="SpinTime"/> waiting for the
/// next one before it goes to sleep, so back-to-back regions (the gate pass, then the products, then the next time step)
/// do not pay a thread wake-up each.
/// </summary>
internal static class KernelWorkers
{
    private static readonly TimeSpan SpinTime = TimeSpan.FromMilliseconds(0.5);
    private static readonly object Grow = new();
    private static Worker[] _workers = [];
    private static int _busy; // 1 while a region uses the workers

    /// <summary>
    /// Runs the region on the calling thread and threads − 1 workers, or returns false when they are busy with another
    /// region. A worker that has not started by the time the caller finds no piece left is called off, so the caller
    /// never waits for a sleeping worker to wake up only to find nothing to do.
    /// </summary>
    public static bool TryRun(Region region, int threads)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            Worker[] workers = Ensure(threads - 1);
            for (int w = 0; w < threads - 1; w++) workers[w].Post(region);
            region.TakePieces();
            for (int w = 0; w < threads - 1; w++) workers[w].WithdrawOrWait();
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
        private Region? _region;
        private int _posted;   // 1: a region is waiting for this worker (the worker or the poster sets it back to 0)
        private int _done;     // 1: the worker has taken its pieces
        private int _sleeping; // 1: the worker is (about to be) blocked on _wake

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"RnnLab kernel worker {index + 1}" }.Start();

        public void Post(Region region)
        {
            _region = region;
            Volatile.Write(ref _done, 0);
            Volatile.Write(ref _posted, 1);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wake.Release();
        }

        // Calls the region off if the worker has not claimed it yet; otherwise waits until it has taken its pieces.
        public void WithdrawOrWait()
        {
            if (Interlocked.CompareExchange(ref _posted, 0, 1) == 1) return;
            var spinner = new SpinWait();
            while (Volatile.Read(ref _done) == 0) spinner.SpinOnce(sleep1Threshold: -1);
        }

        private void Loop()
        {
            Parallelism.InRegion = true;   // a worker only ever runs pieces of a region
            while (true)
            {
                WaitForWork();
                if (Interlocked.CompareExchange(ref _posted, 0, 1) != 1) continue;   // called off before we got to it
                _region!.TakePieces();
                _region = null;
                Volatile.Write(ref _done, 1);
            }
        }

        // Spin for a while; then announce that we sleep, look once more (a region may have been posted in between), and
        // block. Returns when a region was seen posted or the poster woke us (it may have called the region off since).
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
