using RnnLab.Autodiff;

namespace RnnLab.Benchmarks;

/// <summary>
/// Kernel check (<c>--only gemm</c>, not part of the default run): multiply-adds per second of the Gemm kernels (no allocation) for the
/// transpose variants and shapes W1 uses, in processor time (steadier than wall time on a busy machine).
/// </summary>
internal static class GemmThroughput
{
    public static void Run(double seconds)
    {
        var rng = new Rng(3);
        (string Name, int M, int N, int K, bool TA, bool TB)[] cases =
        [
            ("h W_hhᵀ    NT", 32, 512, 128, false, true),
            ("dz W_hh    NN", 32, 128, 512, false, false),
            ("dzᵀ h      TN", 512, 128, 32, true, false),
            ("out W_oᵀ   NT", 2048, 65, 128, false, true),
            ("dYᵀ out    TN", 65, 128, 2048, true, false),
            ("h W_hhᵀ B=1 NT", 1, 256, 64, false, true),
        ];
        foreach (var (name, m, n, k, ta, tb) in cases)
        {
            var a = Tensor.Normal(rng, 0, 1, ta ? [k, m] : [m, k]);
            var b = Tensor.Normal(rng, 0, 1, tb ? [n, k] : [k, n]);
            var c = new double[m * n];
            Timing.SecondsPerCall(() => Gemm.Run(ta, tb, m, n, k, a.Data, 0, b.Data, 0, c, 0), seconds);
            double cpu = Timing.LastCpuSecondsPerCall;
            Console.WriteLine($"gemm {name} [{m}x{k}]·[{k}x{n}]: {cpu * 1e6:F1} µs processor time, {(double)m * n * k / cpu / 1e9:F2} G multiply-adds/s");
        }
    }
}
