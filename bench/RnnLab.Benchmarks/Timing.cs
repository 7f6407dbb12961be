using System.Diagnostics;

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
