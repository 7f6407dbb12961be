using RnnLab.Autodiff;

namespace RnnLab.Tests.Performance;

/// <summary>Runs a piece of a test with <see cref="Parallelism.MaxThreads"/> set, and puts the old value back.</summary>
internal static class ThreadCount
{
    public static T WithThreads<T>(int threads, Func<T> run)
    {
        int saved = Parallelism.MaxThreads;
        try { Parallelism.MaxThreads = threads; return run(); }
        finally { Parallelism.MaxThreads = saved; }
    }

    public static void WithThreads(int threads, Action run) => WithThreads(threads, () => { run(); return 0; });
}
