namespace RnnLab.Data.Tasks;

/// <summary>
/// What a model without memory scores on a task, so a chart can draw it as a line: a model that learned
/// to remember goes below a loss baseline (or above an accuracy baseline); one that did not stays on it.
/// </summary>
/// <param name="Metric">What is measured, e.g. "MSE", "cross-entropy (nats)", "accuracy".</param>
/// <param name="Value">The baseline's value.</param>
/// <param name="Explanation">Which memoryless predictor achieves it, and the formula.</param>
public sealed record Baseline(string Metric, double Value, string Explanation)
{
    /// <summary>True when lower values of the metric are better (losses).</summary>
    public bool LowerIsBetter => !Metric.Contains("accuracy", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A batch of real-valued sequences. <see cref="Inputs"/> has shape <see cref="InputShape"/> (time-major,
/// [T, B, I]); <see cref="Targets"/> has shape <see cref="TargetShape"/>. Both row-major.
/// </summary>
public sealed record RegressionBatch(double[] Inputs, int[] InputShape, double[] Targets, int[] TargetShape)
{
    public Autodiff.Tensor InputTensor() => new((double[])Inputs.Clone(), InputShape);

    public Autodiff.Tensor TargetTensor() => new((double[])Targets.Clone(), TargetShape);
}
