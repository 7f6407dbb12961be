using System.Globalization;

namespace RnnLab.Benchmarks;

/// <summary>Command-line options: <c>--threads N</c> (default 1), <c>--seconds S</c> (default 3, as the PyTorch script), <c>--only W1|W2|W3</c>,
/// <c>--cpu</c> (also print processor time per call, steadier than wall time on a busy machine), <c>--scaling</c> (W1 on 1 and
/// 2 threads in alternating blocks: the 2-thread speed-up, both measured on the same machine state).</summary>
internal sealed record BenchOptions(int Threads, double Seconds, string? Only, bool Cpu, bool Scaling)
{
    public bool Runs(string workload) => Only is null || string.Equals(Only, workload, StringComparison.OrdinalIgnoreCase);

    public static BenchOptions Parse(string[] args)
    {
        int threads = 1;
        double seconds = 3.0;
        string? only = null;
        bool cpu = false, scaling = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--only": only = Value(); break;
                case "--cpu": cpu = true; break;
                case "--scaling": scaling = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}; use --threads N, --seconds S, --only W1|W2|W3, --cpu, --scaling");
            }
        }
        if (threads < 1 || !(seconds > 0)) throw new ArgumentException("--threads must be ≥ 1 and --seconds > 0");
        return new BenchOptions(threads, seconds, only, cpu, scaling);
    }
}
