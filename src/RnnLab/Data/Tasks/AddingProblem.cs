using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// The adding problem (Hochreiter &amp; Schmidhuber 1997; in the form of Le et al. 2015). Each step has two
/// inputs: a value x_t ~ U(0, 1) and a marker m_t ∈ {0, 1}. Exactly two markers are 1: one in the first half
/// of the sequence, one in the second. The target, read after the last step, is Σ_t m_t·x_t, the sum of the two
/// marked values. The first marked value must be carried across at least T/2 steps.
/// </summary>
public sealed class AddingProblem
{
    public int Steps { get; }

    public AddingProblem(int steps)
    {
        if (steps < 2) throw new RnnLabException($"AddingProblem: steps must be at least 2 (one marker in each half), got {steps}");
        Steps = steps;
    }

    /// <summary>Inputs [T, B, 2] (channel 0 the value, channel 1 the marker); targets [B, 1].</summary>
    public RegressionBatch Sample(int batchSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"AddingProblem.Sample: batchSize must be at least 1, got {batchSize}");
        int t = Steps, half = Steps / 2;
        var x = new double[t * batchSize * 2];                                           // [T, B, 2]
        var y = new double[batchSize];                                                   // [B, 1]
        for (int b = 0; b < batchSize; b++)
        {
            for (int s = 0; s < t; s++) x[(s * batchSize + b) * 2] = rng.NextDouble();
            int first = rng.NextInt(half), second = rng.NextInt(half, t);
            x[(first * batchSize + b) * 2 + 1] = 1;
            x[(second * batchSize + b) * 2 + 1] = 1;
            y[b] = x[(first * batchSize + b) * 2] + x[(second * batchSize + b) * 2];
        }
        return new RegressionBatch(x, [t, batchSize, 2], y, [batchSize, 1]);
    }

    /// <summary>
    /// MSE of always predicting E[x₁ + x₂] = 1, which is Var(x₁ + x₂) = 2·Var(U(0,1)) = 2/12 = 1/6 ≈ 0.1667.
    /// (A memoryless model can do no better except on the rare sequences whose second marker is the last step.)
    /// </summary>
    public static Baseline Baseline { get; } = new("MSE", 1.0 / 6.0,
        "predict the mean sum 1 for every sequence: MSE = Var(x1 + x2) = 2 * Var(U(0,1)) = 2/12 = 1/6");
}
