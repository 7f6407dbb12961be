using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Training;

/// <summary>Settings for <see cref="Trainer"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>How gradients flow through time (default: full BPTT).</summary>
    public Bptt Bptt { get; init; } = Bptt.Full;

    /// <summary>Clip the global gradient norm to this (null: no clipping). 1 to 5 is typical for RNNs.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Clamp every gradient element to ±this (null: no clamping).</summary>
    public double? ClipGradValue { get; init; }

    /// <summary>Evaluate every this many steps (0: only at the end).</summary>
    public int EvalEvery { get; init; }

    /// <summary>Report progress every this many steps (evaluations are always reported).</summary>
    public int ReportEvery { get; init; } = 10;

    /// <summary>Stop early once the evaluation accuracy reaches this (null: never).</summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>Seed for randomised truncation and epoch shuffling.</summary>
    public ulong Seed { get; init; }
}

/// <summary>One progress report: the step, its training loss and (pre-clip) gradient norm, and an evaluation when one ran.</summary>
public sealed record TrainingProgress(int Step, double Loss, double GradNorm, Evaluation? Evaluation);

/// <summary>Loss and accuracy over evaluation batches (accuracy null for regression).</summary>
public sealed record Evaluation(double Loss, double? Accuracy);

/// <summary>
/// How training ended. <see cref="Diverged"/> is true when it stopped on a NaN/Inf loss or gradient; then
/// <see cref="Message"/> says at which step, the gradient norm, and what to try.
/// </summary>
public sealed record TrainingResult(int Steps, IReadOnlyList<double> Losses, IReadOnlyList<double> GradNorms,
                                    IReadOnlyList<(int Step, Evaluation Evaluation)> Evaluations, bool Diverged, string? Message)
{
    public Evaluation? FinalEvaluation => Evaluations.Count > 0 ? Evaluations[^1].Evaluation : null;
}

/// <summary>
/// Trains an <see cref="IRecurrentModel"/> on a sequence task: for each batch, forward with the chosen
/// <see cref="Bptt"/> mode, loss, backward, clip, optimiser step; evaluates periodically; reports through
/// <see cref="IProgress{T}"/>; and stops with a clear message as soon as the loss or a gradient is NaN or infinite
/// (the bad step is not applied, so the model keeps its last finite weights).
/// </summary>
public sealed class Trainer
{
    private readonly IRecurrentModel _model;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly Rng _rng;
    private readonly List<Tensor> _parameters;

    public Trainer(IRecurrentModel model, Optimizer optimizer, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        _model = model;
        _optimizer = optimizer;
        _options = options ?? new TrainerOptions();
        if (_options.EvalEvery < 0 || _options.ReportEvery < 1)
            throw new RnnLabException($"Trainer: EvalEvery must be ≥ 0 and ReportEvery ≥ 1, got {_options.EvalEvery} and {_options.ReportEvery}");
        _rng = new Rng(_options.Seed);
        _parameters = model.Parameters().ToList();
    }

    /// <summary>Trains for <paramref name="steps"/> steps on <paramref name="batchAt"/>(step), a batch per step (e.g. a generator of synthetic tasks).</summary>
    public TrainingResult Fit(Func<int, SequenceBatch> batchAt, int steps, IReadOnlyList<SequenceBatch>? evalSet = null,
                              IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batchAt);
        if (steps < 1) throw new RnnLabException($"Trainer.Fit: steps must be at least 1, got {steps}");
        var losses = new List<double>();
        var norms = new List<double>();
        var evaluations = new List<(int, Evaluation)>();
        for (int step = 1; step <= steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (loss, norm, failure) = TrainStep(batchAt(step - 1), step);
            losses.Add(loss);
            norms.Add(norm);
            if (failure is not null)
            {
                progress?.Report(new TrainingProgress(step, loss, norm, null));
                return new TrainingResult(step, losses, norms, evaluations, Diverged: true, failure);
            }
            Evaluation? eval = null;
            bool last = step == steps;
            if (evalSet is not null && ((_options.EvalEvery > 0 && step % _options.EvalEvery == 0) || last))
            {
                eval = Evaluate(evalSet);
                evaluations.Add((step, eval));
            }
            if (eval is not null || step % _options.ReportEvery == 0 || last)
                progress?.Report(new TrainingProgress(step, loss, norm, eval));
            if (eval?.Accuracy >= _options.TargetAccuracy)
                return new TrainingResult(step, losses, norms, evaluations, false,
                    string.Create(CultureInfo.InvariantCulture, $"Reached the target accuracy {_options.TargetAccuracy:P1} at step {step}."));
        }
        return new TrainingResult(steps, losses, norms, evaluations, false, null);
    }

    /// <summary>Trains for whole epochs over <paramref name="trainSet"/>, shuffling the batch order each epoch (seeded).</summary>
    public TrainingResult FitEpochs(IReadOnlyList<SequenceBatch> trainSet, int epochs, IReadOnlyList<SequenceBatch>? evalSet = null,
                                    IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(trainSet);
        if (trainSet.Count == 0 || epochs < 1)
            throw new RnnLabException($"Trainer.FitEpochs: needs at least one batch and one epoch, got {trainSet.Count} batches and {epochs} epochs");
        var order = new int[trainSet.Count * epochs];
        var shuffle = new Rng(_options.Seed ^ 0x5EEDUL);
        for (int e = 0; e < epochs; e++)
        {
            var perm = Enumerable.Range(0, trainSet.Count).ToArray();
            shuffle.Shuffle(perm);
            perm.CopyTo(order, e * trainSet.Count);
        }
        return Fit(step => trainSet[order[step]], order.Length, evalSet, progress, cancellation);
    }

    /// <summary>One update on one batch. Returns the loss, the pre-clip gradient norm, and a message if either was not finite.</summary>
    public (double Loss, double GradNorm, string? Failure) TrainStep(SequenceBatch batch, int step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _model.Train();
        return Update(_optimizer, _parameters, () => batch.Loss(_options.Bptt.Run(_model, batch.Inputs, null, _rng).Output),
                      step, _options.ClipGradNorm, _options.ClipGradValue);
    }

    /// <summary>
    /// One update of any model from a loss it computes: zero the gradients, compute the loss, backward, clip, and let the
    /// optimiser step, unless the loss or the gradient norm is NaN or infinite (then the step is skipped and the message
    /// says what to try). <see cref="TrainStep"/> does this for sequence models; models of another shape (a memory
    /// network, a transformer) call it with their own loss. Returns the loss, the pre-clip gradient norm, and the message.
    /// </summary>
    public static (double Loss, double GradNorm, string? Failure) Update(Optimizer optimizer, IReadOnlyList<Tensor> parameters,
        Func<Tensor> computeLoss, int step, double? clipGradNorm = null, double? clipGradValue = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(computeLoss);
        optimizer.ZeroGrad();
        var loss = computeLoss();
        double value = loss.Item();
        loss.Backward();
        double norm = clipGradNorm is double max ? GradClip.ClipGradNorm(parameters, max) : GradClip.GradNorm(parameters);
        if (!double.IsFinite(value)) return (value, norm, Diverged(step, "loss", value, norm, clipGradNorm, optimizer));
        if (!double.IsFinite(norm)) return (value, norm, Diverged(step, "gradient norm", norm, norm, clipGradNorm, optimizer));
        if (clipGradValue is double clip) GradClip.ClipGradValue(parameters, clip);
        optimizer.Step();
        return (value, norm, null);
    }

    private static string Diverged(int step, string what, double value, double norm, double? clipGradNorm, Optimizer optimizer)
    {
        string clipNow = clipGradNorm is double c ? string.Create(CultureInfo.InvariantCulture, $"it is {c} now") : "it is off now";
        return string.Create(CultureInfo.InvariantCulture,
            $"Training stopped at step {step}: the {what} became {(double.IsNaN(value) ? "NaN" : "infinite")} (gradient norm {norm:G4}). " +
            $"The gradients exploded; the last update was not applied. Try clipping the gradient norm (TrainerOptions.ClipGradNorm = 1 to 5; {clipNow}) " +
            $"or a smaller learning rate (now {optimizer.LearningRate:G4}).");
    }

    /// <summary>Mean loss and accuracy over <paramref name="batches"/>, without recording gradients, in evaluation mode.</summary>
    public Evaluation Evaluate(IReadOnlyList<SequenceBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new RnnLabException("Trainer.Evaluate: no evaluation batches were given");
        _model.Eval();
        double loss = 0;
        int correct = 0, count = 0;
        using (Tensor.NoGrad())
        {
            foreach (var b in batches)
            {
                var (y, _) = _model.Forward(b.Inputs);
                loss += b.Loss(y).Item();
                var (c, n) = b.Accuracy(y);
                correct += c;
                count += n;
            }
        }
        _model.Train();
        return new Evaluation(loss / batches.Count, count > 0 ? (double)correct / count : null);
    }
}
