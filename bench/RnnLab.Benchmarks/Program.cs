using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Benchmarks;

// The three workloads of DESIGN.md §6, run exactly as ../shared/anchors/torch_lstm_bench.py runs them in PyTorch,
// printing the same lines so bench/run.sh can put the two side by side.
//   dotnet run -c Release --project bench/RnnLab.Benchmarks -- [--threads N] [--seconds S] [--only W1|W2|W3] [--cpu]
//   … -- --scaling [--seconds S]: W1 on 1 and 2 threads in alternating blocks, and the speed-up
var options = BenchOptions.Parse(args);
Parallelism.MaxThreads = options.Threads;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (options.Only is "gemm") GemmThroughput.Run(options.Seconds);
if (options.Scaling)
{
    var w1 = new CharLstmTrainStep();
    var (oneOn, two) = Timing.SecondsPerCallAlternating(w1.Step, options.Seconds);
    double one = oneOn.Average(p => p.Seconds), fastest = oneOn.Min(p => p.Seconds);
    Console.WriteLine($"W1 char-LSTM train step, 1 and 2 threads alternating: {one * 1e3:F2} ms/step on 1 " +
                      $"({string.Join(", ", oneOn.Select(p => $"cpu{p.Cpu} {p.Seconds * 1e3:F2}"))}), {two * 1e3:F2} ms/step on 2, " +
                      $"speed-up {one / two:F2}x ({fastest / two:F2}x against the fastest cpu)");
    Console.WriteLine($"W1 peak working set: {Timing.PeakWorkingSetMegabytes():F0} MB");
}
else if (options.Runs("W1"))
{
    var w1 = new CharLstmTrainStep();
    double s = Timing.SecondsPerCall(w1.Step, options.Seconds);
    Console.WriteLine($"W1 char-LSTM train step: {s * 1e3:F2} ms/step, {CharLstmTrainStep.CharsPerStep / s:F0} chars/s");
    if (options.Cpu) Console.WriteLine($"   (processor time {Timing.LastCpuSecondsPerCall * 1e3:F2} ms/step)");
    Console.WriteLine($"W1 peak working set: {Timing.PeakWorkingSetMegabytes():F0} MB, " +
                      $"GC collections gen0/1/2: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
                      $"allocated {GC.GetTotalAllocatedBytes() / 1e6 / Math.Max(1, w1.Steps):F1} MB/step");
}
if (!options.Scaling && options.Runs("W2"))
{
    var w2 = new MinCharRnnStep();
    double s = Timing.SecondsPerCall(w2.Step, options.Seconds);
    Console.WriteLine($"W2 min-char-rnn step: {s * 1e3:F3} ms/step, {MinCharRnnStep.CharsPerStep / s:F0} chars/s");
    if (options.Cpu) Console.WriteLine($"   (processor time {Timing.LastCpuSecondsPerCall * 1e3:F3} ms/step)");
}
if (!options.Scaling && options.Runs("W3"))
{
    var w3 = new LstmGradNormProbe();
    double s = Timing.SecondsPerCall(() => w3.Probe(), options.Seconds);
    Console.WriteLine($"W3 LSTM grad-norm probe T=200: {s * 1e3:F2} ms/probe");
    if (options.Cpu) Console.WriteLine($"   (processor time {Timing.LastCpuSecondsPerCall * 1e3:F2} ms/probe)");
}
