using System.Diagnostics;
using RnnLab.Autodiff;

namespace RnnLab.Benchmarks;

internal static class Timing
{
    /// <summary>The PyTorch script's method: two warm-up calls, then call until <paramref name="minSeconds"/> have passed; mean seconds per call.</summary>
    public static double SecondsPerCall(Action call, double minSeconds)
    {
        call(); call();
        int n = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < minSeconds) { call(); n++; }
        double wall = clock.Elapsed.TotalSeconds / n;
        LastCpuSecondsPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / n;
        return wall;
    }

    /// <summary>
    /// The same call on 1 thread and on 2 in alternating blocks of <paramref name="blockSeconds"/>, the 1-thread blocks
    /// pinned to each processor in turn, until each processor and the 2 threads have run <paramref name="minSeconds"/>;
    /// mean seconds per call on 1 thread on each processor (by number), and on 2 threads. All then see the same
    /// machine: on a virtual machine one vCPU can run 30 % slower than the other for seconds at a time (another
    /// tenant's thread on the same physical core), and runs one after the other can fall into different such phases,
    /// or a 1-thread run onto either vCPU.
    /// </summary>
    public static ((int Cpu, double Seconds)[] OneThreadOn, double TwoThreads) SecondsPerCallAlternating(Action call, double minSeconds, double blockSeconds = 0.5)
    {
        using var self = Process.GetCurrentProcess();
        nint all = Affinity(self);
        int[] cpus = [.. Enumerable.Range(0, 64).Where(c => ((long)all >> c & 1) == 1)];
        var seconds = new double[cpus.Length + 1];                    // per processor on 1 thread, then 2 threads
        var calls = new int[cpus.Length + 1];
        for (int threads = 1; threads <= 2; threads++) { Parallelism.MaxThreads = threads; call(); call(); }
        for (int block = 0; seconds.Any(s => s < minSeconds); block++)
        {
            int slot = block % 2 == 1 ? cpus.Length : block / 2 % cpus.Length;
            Parallelism.MaxThreads = slot == cpus.Length ? 2 : 1;
            Pin(self, slot == cpus.Length ? all : (nint)(1L << cpus[slot]));
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < blockSeconds) { call(); calls[slot]++; }
            seconds[slot] += clock.Elapsed.TotalSeconds;
        }
        Pin(self, all);
        return ([.. cpus.Select((cpu, k) => (cpu, seconds[k] / calls[k]))], seconds[^1] / calls[^1]);
    }

    // The processors the benchmark may run on, as a bit mask (on Linux .NET reads and sets the affinity of the main
    // thread, which runs the calls; on Windows the process's). Where .NET cannot pin: processor 0 stands for "any", and
    // Pin does nothing.
    private static nint Affinity(Process self) => OperatingSystem.IsLinux() || OperatingSystem.IsWindows() ? self.ProcessorAffinity : 1;

    private static void Pin(Process self, nint mask)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()) self.ProcessorAffinity = mask;
    }

    /// <summary>Processor time (all threads) per call in the last <see cref="SecondsPerCall"/>: steadier than wall time on a busy machine.</summary>
    public static double LastCpuSecondsPerCall { get; private set; }

    /// <summary>Peak resident set of this process so far (VmHWM on Linux, else the peak working set), in MB.</summary>
    public static double PeakWorkingSetMegabytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (string line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1e6 / 1.048576;
    }
}
