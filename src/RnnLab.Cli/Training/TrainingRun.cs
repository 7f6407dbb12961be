using System.Diagnostics;
using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Cli.Training;

/// <summary>How long to train, how often to evaluate and save, and where.</summary>
public sealed record RunSettings(int? Steps, TimeSpan? Time, int EvalEvery, int SaveEvery, string? Out, bool SaveF32, bool Resume);

/// <summary>
/// The training loop behind <c>rnnlab train</c>: steps until the step or time budget is spent, evaluates
/// periodically, and saves two files atomically: the model (<c>OUT</c>, PyTorch-compatible names, loadable by
/// <c>sample</c> and <c>inspect</c>) and a resume snapshot (<c>OUT.resume.safetensors</c>: the model in double
/// precision, the optimiser's state, and the step). The batch of step s depends only on (seed, s), so a run
/// interrupted and resumed with <c>--resume</c> ends with exactly the same weights as one that was never interrupted.
/// </summary>
public sealed class TrainingRun(SequenceModel model, Optimizer optimizer, Trainer trainer, Func<int, SequenceBatch> batchAt,
                                IReadOnlyList<SequenceBatch> validationSet, IReadOnlyDictionary<string, string> metadata, string lossUnit)
{
    public static string ResumePath(string outPath) => outPath + ".resume.safetensors";

    /// <summary>Runs the loop; returns the last validation loss.</summary>
    public double Run(RunSettings settings, CliConsole console, CancellationToken cancel)
    {
        int step = settings.Resume ? LoadSnapshot(settings) : 0;
        int lastSaved = step;
        var clock = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;   // processor time: steadier than wall time on a busy machine
        double lastLoss = double.NaN;
        Evaluation validation;
        bool Budget() => (settings.Steps is null || step < settings.Steps) && (settings.Time is null || clock.Elapsed < settings.Time);
        while (Budget() && !cancel.IsCancellationRequested)
        {
            step++;
            var (loss, norm, failure) = trainer.TrainStep(batchAt(step), step);
            if (failure is not null) throw new RnnLabException(failure);
            lastLoss = loss;
            if (settings.EvalEvery > 0 && step % settings.EvalEvery == 0)
            {
                validation = trainer.Evaluate(validationSet);
                console.Out.WriteLine(Inv($"step {step,6}  {clock.Elapsed.TotalSeconds,6:F0} s  train {loss:F3}  validation {validation.Loss:F3} {lossUnit}{Accuracy(validation)}  grad norm {norm:F2}"));
            }
            if (settings.SaveEvery > 0 && step % settings.SaveEvery == 0) { Save(settings, step); lastSaved = step; }
        }
        validation = trainer.Evaluate(validationSet);
        if (cancel.IsCancellationRequested) console.Out.WriteLine($"Interrupted at step {step}; saving so that --resume continues from here.");
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        console.Out.WriteLine(Inv($"final: step {step}, {clock.Elapsed.TotalSeconds:F0} s ({cpuSeconds:F0} s of processor time), train {lastLoss:F3}, validation {validation.Loss:F3} {lossUnit}{Accuracy(validation)}"));
        if (step != lastSaved || settings.Resume) Save(settings, step);
        if (settings.Out is not null) console.Out.WriteLine($"Checkpoint: {Path.GetFullPath(settings.Out)}");
        return validation.Loss;
    }

    /// <summary>", accuracy 27.3 %" for tasks with classes (none for regression).</summary>
    private static string Accuracy(Evaluation e) => e.Accuracy is double a ? Inv($", accuracy {a:P1}") : "";

    private void Save(RunSettings settings, int step)
    {
        if (settings.Out is null) return;
        var meta = new Dictionary<string, string>(metadata) { ["step"] = step.ToString(CultureInfo.InvariantCulture) };
        var snapshot = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.StateDict()) snapshot["model." + name] = t;
        foreach (var (name, t) in optimizer.StateDict()) snapshot["optimizer." + name] = t;
        Safetensors.Save(ResumePath(settings.Out), snapshot, meta);   // first the snapshot, then the model: each write is atomic
        Checkpoint.Save(settings.Out, model, meta, settings.SaveF32 ? SafetensorsDType.F32 : SafetensorsDType.F64);
    }

    private int LoadSnapshot(RunSettings settings)
    {
        if (settings.Out is null) throw new UsageException("--resume needs --out, the checkpoint to continue");
        string path = ResumePath(settings.Out);
        if (!File.Exists(path))
            throw new UsageException($"--resume: there is no resume snapshot at {path}; start without --resume");
        var content = Safetensors.Load(path);
        foreach (var (key, value) in metadata)
            if (key != "step" && (!content.Metadata.TryGetValue(key, out var saved) || saved != value))
                throw new UsageException($"--resume: the snapshot was made with {key} = '{(saved ?? "(none)")}' but this run has '{value}'; " +
                                         "resume with the same options, or start afresh without --resume");
        model.LoadStateDict(Prefixed(content.Tensors, "model."));
        optimizer.LoadStateDict(Prefixed(content.Tensors, "optimizer."));
        return int.Parse(content.Metadata["step"], CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, Tensor> Prefixed(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
