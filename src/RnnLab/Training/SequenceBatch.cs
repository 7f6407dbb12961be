using RnnLab.Autodiff;
using RnnLab.Data;

namespace RnnLab.Training;

/// <summary>
/// One batch of a sequence task in time-major layout: inputs [T, B, I] and either class targets [T·B]
/// (index t·B + b; <see cref="SequenceLoss.IgnoreIndex"/> where a step has no target, so a many-to-one task sets only
/// the last step) or value targets [T, B, O] for regression. An optional mask [T, B] (1 real, 0 padding) drops steps.
/// </summary>
public sealed record SequenceBatch
{
    public Tensor Inputs { get; }
    public int[]? Targets { get; }
    public Tensor? Values { get; }
    public Tensor? Mask { get; }

    private SequenceBatch(Tensor inputs, int[]? targets, Tensor? values, Tensor? mask)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank != 3) throw new RnnLabException($"SequenceBatch: expected inputs [T, B, I], got {Tensor.ShapeString(inputs.Shape)}");
        int steps = inputs.Shape[0], batch = inputs.Shape[1];
        if (targets is not null && targets.Length != steps * batch)
            throw new RnnLabException($"SequenceBatch: inputs {Tensor.ShapeString(inputs.Shape)} need {steps * batch} targets (index t·B + b), got {targets.Length}");
        if (values is not null && (values.Rank != 3 || values.Shape[0] != steps || values.Shape[1] != batch))
            throw new RnnLabException($"SequenceBatch: expected value targets [{steps}, {batch}, O], got {Tensor.ShapeString(values.Shape)}");
        if (mask is not null && (mask.Rank != 2 || mask.Shape[0] != steps || mask.Shape[1] != batch))
            throw new RnnLabException($"SequenceBatch: expected a mask [{steps}, {batch}], got {Tensor.ShapeString(mask.Shape)}");
        Inputs = inputs; Targets = targets; Values = values; Mask = mask;
    }

    /// <summary>Classification at some or all steps: targets [T·B] class indices or <see cref="SequenceLoss.IgnoreIndex"/>.</summary>
    public static SequenceBatch Classification(Tensor inputs, int[] targets, Tensor? mask = null) =>
        new(inputs, targets ?? throw new ArgumentNullException(nameof(targets)), null, mask);

    /// <summary>Regression: value targets [T, B, O].</summary>
    public static SequenceBatch Regression(Tensor inputs, Tensor values, Tensor? mask = null) =>
        new(inputs, null, values ?? throw new ArgumentNullException(nameof(values)), mask);

    /// <summary>A language-model batch: one-hot inputs [T, B, V] and next-token targets.</summary>
    public static SequenceBatch FromTokens(TokenBatch batch, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Classification(batch.InputOneHot(vocabularySize), batch.Targets);
    }

    /// <summary>The loss of model outputs [T, B, O] on this batch: per-step cross-entropy or MSE, masked.</summary>
    public Tensor Loss(Tensor outputs) =>
        Targets is not null ? SequenceLoss.CrossEntropy(outputs, Targets, Mask) : SequenceLoss.Mse(outputs, Values!, Mask);

    /// <summary>(correct, counted) predictions: argmax of outputs [T, B, C] against the targets that count. (0, 0) for regression.</summary>
    public (int Correct, int Count) Accuracy(Tensor outputs)
    {
        if (Targets is null) return (0, 0);
        int classes = outputs.Shape[2], correct = 0, count = 0;
        for (int i = 0; i < Targets.Length; i++)
        {
            if (Targets[i] == SequenceLoss.IgnoreIndex || (Mask is not null && Mask.Data[i] == 0)) continue;
            int best = 0;
            for (int c = 1; c < classes; c++) if (outputs.Data[i * classes + c] > outputs.Data[i * classes + best]) best = c;
            count++;
            if (best == Targets[i]) correct++;
        }
        return (correct, count);
    }
}
