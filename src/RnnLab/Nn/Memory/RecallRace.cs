using System.Diagnostics;
using RnnLab.Autodiff;
using RnnLab.Data.Tasks;
using RnnLab.Probes;
using RnnLab.Training;

namespace RnnLab.Nn;

/// <summary>
/// Settings for <see cref="RecallRace"/>. The defaults are the race of lesson 04 and of the tour: one of 4 symbols, then
/// 100 distractors drawn from 8 noise tokens, then the query; 32 units each, at most 300 Adam steps of 32 sequences.
/// </summary>
public sealed record RecallRaceOptions
{
    /// <summary>K, the symbols to remember (chance accuracy 1/K).</summary>
    public int Symbols { get; init; } = 4;

    /// <summary>The delay: distractors between the symbol and the query.</summary>
    public int Distractors { get; init; } = 100;

    /// <summary>Noise tokens the distractors are drawn from (see <see cref="DelayedRecall"/>; 0: from the symbols).</summary>
    public int NoiseSymbols { get; init; } = 8;

    public int HiddenSize { get; init; } = 32;
    public int BatchSize { get; init; } = 32;
    public int TrainingSteps { get; init; } = 300;
    public double LearningRate { get; init; } = 3e-3;
    public double ClipGradNorm { get; init; } = 5;

    /// <summary>
    /// The "remember by default" bias of the gated cells: the LSTM's forget-gate bias (b_if = this, b_hf = 0) and the
    /// GRU's update-gate bias (b_iz = this, b_hz = 0). 4 starts both gates at σ(4) ≈ 0.982. The RNN has no gate to set.
    /// </summary>
    public double KeepGateBias { get; init; } = 4;

    /// <summary>Held-out sequences, evaluated every <see cref="EvalEvery"/> steps.</summary>
    public int EvalSize { get; init; } = 256;
    public int EvalEvery { get; init; } = 20;

    /// <summary>A model stops training once its held-out accuracy reaches this (null: always the full budget).</summary>
    public double? StopAtAccuracy { get; init; } = 0.99;
    public ulong Seed { get; init; } = 1;

    /// <summary>The models in the race, in order.</summary>
    public IReadOnlyList<RecurrentKind> Kinds { get; init; } = [RecurrentKind.RnnTanh, RecurrentKind.Lstm, RecurrentKind.Gru];
}

/// <summary>
/// One model's run in the race.
/// <paramref name="Losses"/>: training loss (cross-entropy at the query) per step (fewer than the budget when the model
/// stopped at <see cref="RecallRaceOptions.StopAtAccuracy"/>).
/// <paramref name="Accuracy"/>: held-out accuracy every EvalEvery steps, and at step 0 before training.
/// <paramref name="LeftPlateauAt"/>: the first evaluation step at which held-out accuracy reached halfway from chance to
/// perfect, (1 + 1/K) / 2 (null: never).
/// <paramref name="InputGradientAtStart"/>: [T] ‖∂L/∂x_t‖ of the untrained model on the probe batch; index 0 is the cue.
/// </summary>
public sealed record RecallRun(RecurrentKind Kind, string Name, SequenceModel Model, IReadOnlyList<double> Losses,
                               IReadOnlyList<(int Step, double Accuracy)> Accuracy, double FinalAccuracy, double FinalLoss,
                               int? LeftPlateauAt, double[] InputGradientAtStart, double[] InputGradientAtEnd, TimeSpan Elapsed)
{
    /// <summary>Optimiser steps this model trained for.</summary>
    public int StepsTrained => Losses.Count;

    /// <summary>‖∂L/∂x₀‖ before training: how much gradient from the answer reaches the symbol to remember.</summary>
    public double CueGradientAtStart => InputGradientAtStart[0];

    /// <summary>‖∂L/∂x_T‖ before training at the query step itself, for scale.</summary>
    public double QueryGradientAtStart => InputGradientAtStart[^1];
}

/// <summary>The task, the settings, and one <see cref="RecallRun"/> per model.</summary>
public sealed record RecallRaceResult(DelayedRecall Task, RecallRaceOptions Options, IReadOnlyList<RecallRun> Runs)
{
    /// <summary>Cross-entropy without memory: log K.</summary>
    public double BaselineLoss => Task.Baseline.Value;

    /// <summary>Accuracy without memory: 1/K.</summary>
    public double ChanceAccuracy => Task.AccuracyBaseline.Value;

    /// <summary>
    /// "learned it" (held-out accuracy at least 90 %), "stayed at chance" (never left the plateau and within 10 points
    /// of 1/K), or "learned part of it".
    /// </summary>
    public string Verdict(RecallRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.FinalAccuracy >= 0.9 ? "learned it"
            : run.LeftPlateauAt is null && run.FinalAccuracy < ChanceAccuracy + 0.1 ? "stayed at chance"
            : "learned part of it";
    }

    public RecallRun this[RecurrentKind kind] =>
        Runs.FirstOrDefault(r => r.Kind == kind) ?? throw new RnnLabException($"RecallRaceResult: no {kind} in this race; it ran {string.Join(", ", Runs.Select(r => r.Kind))}");
}

/// <summary>
/// A tanh RNN, an LSTM and a GRU of the same size trained on the same <see cref="DelayedRecall"/> batches with the same
/// optimiser and budget; the gated cells start with their keep-gate bias (<see cref="RecallRaceOptions.KeepGateBias"/>).
/// Records each model's loss and held-out accuracy along training, and the gradient ‖∂L/∂x_t‖ that the loss at the
/// query sends back to every input step, before and after training (the cue is step 0).
/// Lesson 04 and the tour's memory section both run this.
/// </summary>
public static class RecallRace
{
    /// <summary>The window of the running mean in the loss chart, in steps.</summary>
    public const int LossWindow = 20;

    public static RecallRaceResult Run(RecallRaceOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= new RecallRaceOptions();
        if (options.TrainingSteps < 1 || options.BatchSize < 1 || options.EvalSize < 1 || options.EvalEvery < 1 || options.HiddenSize < 1)
            throw new RnnLabException("RecallRace: TrainingSteps, BatchSize, EvalSize, EvalEvery and HiddenSize must be positive");
        if (options.Kinds is null || options.Kinds.Count == 0) throw new RnnLabException("RecallRace: Kinds is empty; name at least one model");
        var task = NewTask(options);
        var held = new[] { HeldOut(task, options) };
        var probe = Batch(task, options.BatchSize, new Rng(options.Seed ^ 0x9B0BEUL));
        var runs = new List<RecallRun>();
        foreach (var kind in options.Kinds)
        {
            var run = RunOne(kind, task, options, held, probe);
            progress?.Report($"{run.Name}: held-out accuracy {run.FinalAccuracy:P0} after {run.StepsTrained} steps ({run.Elapsed.TotalSeconds:F1} s)");
            runs.Add(run);
        }
        return new RecallRaceResult(task, options, runs);
    }

    // The pieces below are public so that `rnnlab train recall` trains on exactly this task, model and data.

    /// <summary>The task of the race: K symbols, the distractors, the noise tokens.</summary>
    public static DelayedRecall NewTask(RecallRaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DelayedRecall(options.Symbols, options.Distractors, options.NoiseSymbols);
    }

    /// <summary>
    /// A model as the race builds it: <paramref name="kind"/> with <see cref="RecallRaceOptions.HiddenSize"/> units
    /// per layer, seeded by <see cref="RecallRaceOptions.Seed"/>, the gated cells with their keep-gate bias in every layer.
    /// </summary>
    public static SequenceModel NewModel(RecurrentKind kind, DelayedRecall task, RecallRaceOptions options, int layers = 1)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        var model = new SequenceModel(kind, task.VocabularySize, options.HiddenSize, task.Symbols, new Rng(options.Seed), layers);
        if (model.Recurrent is Lstm lstm) lstm.InitForgetGateBias(options.KeepGateBias);
        if (model.Recurrent is Gru gru) gru.InitUpdateGateBias(options.KeepGateBias);
        return model;
    }

    /// <summary>
    /// The training batch of step <paramref name="step"/> (0 for the first, as <see cref="Trainer.Fit"/> counts): the
    /// same for every model, from its own generator seeded by the race's seed and the step.
    /// </summary>
    public static SequenceBatch TrainingBatch(DelayedRecall task, RecallRaceOptions options, int step)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Batch(task, options.BatchSize, new Rng(options.Seed * 1_000_003UL + (ulong)step));
    }

    /// <summary>The <see cref="RecallRaceOptions.EvalSize"/> held-out sequences every model is evaluated on.</summary>
    public static SequenceBatch HeldOut(DelayedRecall task, RecallRaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Batch(task, options.EvalSize, new Rng(options.Seed ^ 0xE7A1UL));
    }

    public static string Name(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => "LSTM",
        RecurrentKind.Gru => "GRU",
        RecurrentKind.RnnRelu => "RNN (ReLU)",
        _ => "RNN (tanh)",
    };

    /// <summary>
    /// [T] ‖∂L/∂x_t‖ for the loss at the query on <paramref name="batch"/>: how strongly the answer's loss reacts to the
    /// input at each step (index 0 is the symbol to remember). Leaves the gradients in the model's parameters.
    /// </summary>
    public static double[] InputGradient(SequenceModel model, SequenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        Tensor Loss(Tensor hidden) => batch.Loss(model.Head.Forward(hidden));   // hidden [T, B, H] → the model's loss
        var trace = model.Recurrent switch
        {
            Rnn r => Probe.Run(r, batch.Inputs, Loss),
            Lstm l => Probe.Run(l, batch.Inputs, Loss),
            Gru g => Probe.Run(g, batch.Inputs, Loss),
            _ => throw new RnnLabException($"RecallRace.InputGradient: unexpected recurrent layer {model.Recurrent.GetType().Name}"),
        };
        return trace.InputGradNorm!;
    }

    private static RecallRun RunOne(RecurrentKind kind, DelayedRecall task, RecallRaceOptions o, SequenceBatch[] held, SequenceBatch probe)
    {
        var model = NewModel(kind, task, o);
        var gradientAtStart = InputGradient(model, probe);
        var trainer = new Trainer(model, new Adam(model.Parameters(), learningRate: o.LearningRate),
            new TrainerOptions { ClipGradNorm = o.ClipGradNorm, EvalEvery = o.EvalEvery, TargetAccuracy = o.StopAtAccuracy, Seed = o.Seed });
        var accuracy = new List<(int, double)> { (0, trainer.Evaluate(held).Accuracy!.Value) };
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(step => TrainingBatch(task, o, step), o.TrainingSteps, held);
        var elapsed = clock.Elapsed;
        accuracy.AddRange(result.Evaluations.Select(e => (e.Step, e.Evaluation.Accuracy!.Value)));
        if (result.Diverged) throw new RnnLabException($"RecallRace: {Name(kind)} diverged: {result.Message}");
        var final = result.FinalEvaluation!;
        return new RecallRun(kind, Name(kind), model, result.Losses, accuracy, final.Accuracy!.Value, final.Loss,
                             LeftPlateau(accuracy, (1 + 1.0 / task.Symbols) / 2), gradientAtStart, InputGradient(model, probe), elapsed);
    }

    private static int? LeftPlateau(IReadOnlyList<(int Step, double Accuracy)> accuracy, double halfway) =>
        accuracy.Where(a => a.Accuracy >= halfway).Select(a => (int?)a.Step).FirstOrDefault();

    // Only the query step is scored: the other steps' targets are the ignore index.
    private static SequenceBatch Batch(DelayedRecall task, int size, Rng rng) =>
        SequenceBatch.FromTokens(task.Sample(size, rng), task.VocabularySize);
}
