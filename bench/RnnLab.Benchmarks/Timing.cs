using System.Diagnostics;

namespace RnnLab.Benchmarks;

internal static class Timing
{
    /// <summary>The PyTorch script's method: two warm-up calls, then call until <paramref name="minSeconds"/> have passed; mean seconds per call.</summary>
    public static double SecondsPerCall(Action call, double minSeconds)
    {
        call(); call();
        int n = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < minSeconds) { call(); n++; }
        return clock.Elapsed.TotalSeconds / n;
    }

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
