using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// Losses over sequences in time-major layout [T, B, ...] (index t·B + b, as the data batches lay them out).
/// Many-to-many: a target at every step. Many-to-one: a target only at the last step (the others set to
/// <see cref="IgnoreIndex"/> or masked out), or pick each sequence's last real output with <see cref="LastStep"/>.
/// Padding is skipped by a mask [T, B] (1 real, 0 padding) or an ignored target.
/// </summary>
public static class SequenceLoss
{
    /// <summary>A target that contributes nothing (PyTorch's ignore_index default).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>
    /// Per-step softmax cross-entropy averaged over the steps that count: logits [T, B, C], targets [T·B] class indices
    /// (or <see cref="IgnoreIndex"/>), optional mask [T, B].
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 3)
            throw new RnnLabException($"SequenceLoss.CrossEntropy: expected logits [T, B, C], got {Tensor.ShapeString(logits.Shape)}");
        int steps = logits.Shape[0], batch = logits.Shape[1], classes = logits.Shape[2];
        if (targets.Length != steps * batch)
            throw new RnnLabException($"SequenceLoss.CrossEntropy: logits {Tensor.ShapeString(logits.Shape)} need {steps * batch} targets (one per step and sequence, index t·B + b), got {targets.Length}");
        var t = (int[])targets.Clone();
        if (mask is not null)
        {
            CheckMask("CrossEntropy", mask, steps, batch);
            for (int i = 0; i < t.Length; i++) if (mask.Data[i] == 0) t[i] = IgnoreIndex;
        }
        return Tensor.CrossEntropy(logits.Reshape(steps * batch, classes), t, IgnoreIndex);   // [T·B, C] rows line up with t
    }

    /// <summary>
    /// Mean squared error over the steps that count: prediction and target [T, B, O]; with a mask [T, B] the mean is
    /// over the O values of the real steps only.
    /// </summary>
    public static Tensor Mse(Tensor prediction, Tensor target, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank != 3 || !prediction.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new RnnLabException($"SequenceLoss.Mse: expected prediction and target of the same shape [T, B, O], got {Tensor.ShapeString(prediction.Shape)} and {Tensor.ShapeString(target.Shape)}");
        if (mask is null) return Tensor.MseLoss(prediction, target);
        int steps = prediction.Shape[0], batch = prediction.Shape[1], outputs = prediction.Shape[2];
        CheckMask("Mse", mask, steps, batch);
        double count = mask.Data.Sum() * outputs;
        if (count == 0) throw new RnnLabException("SequenceLoss.Mse: the mask is all zeros; there is nothing to average");
        var diff = prediction - target;                                              // [T, B, O]
        var masked = diff * diff * mask.Reshape(steps, batch, 1);                     // zero on padding
        return masked.Sum() / count;                                                  // L = Σ m (p − y)² / (O Σ m)
    }

    /// <summary>Each sequence's output at its last real step: outputs [T, B, H], lengths [B] → [B, H] (many-to-one with padding).</summary>
    public static Tensor LastStep(Tensor outputs, int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(lengths);
        if (outputs.Rank != 3 || lengths.Length != outputs.Shape[1])
            throw new RnnLabException($"SequenceLoss.LastStep: expected outputs [T, B, H] and B lengths, got {Tensor.ShapeString(outputs.Shape)} and {lengths.Length} lengths");
        var rows = new Tensor[lengths.Length];
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] < 1 || lengths[b] > outputs.Shape[0])
                throw new RnnLabException($"SequenceLoss.LastStep: length {lengths[b]} of sequence {b} is not in 1 … {outputs.Shape[0]}");
            rows[b] = outputs.Select(0, lengths[b] - 1).Select(0, b);                // [H]
        }
        return Tensor.Stack(rows, axis: 0);                                          // [B, H]
    }

    private static void CheckMask(string op, Tensor mask, int steps, int batch)
    {
        if (mask.Rank != 2 || mask.Shape[0] != steps || mask.Shape[1] != batch)
            throw new RnnLabException($"SequenceLoss.{op}: expected a mask [T, B] = [{steps}, {batch}], got {Tensor.ShapeString(mask.Shape)}");
    }
}
