using RnnLab.Autodiff;
using RnnLab.Data;

namespace RnnLab.Nn;

/// <summary>
/// A tagging task whose answer at a position depends on what comes LATER: a sequence of T random letters
/// (symbols 1 … <see cref="Letters"/>) contains the marker (symbol 0) at one uniformly random position with
/// probability ½; the tag of position t is 1 when the marker appears at a position after t, else 0.
/// A forward RNN at step t has only seen x_0 … x_t, so it can only guess; a bidirectional RNN reads the future too.
/// </summary>
public sealed class FutureMarkerTask
{
    public const int Marker = 0, Letters = 5, VocabularySize = Letters + 1;
    public const double MarkerProbability = 0.5;

    public int Steps { get; }

    public FutureMarkerTask(int steps)
    {
        if (steps < 2) throw new RnnLabException($"FutureMarkerTask: steps must be at least 2, got {steps}");
        Steps = steps;
    }

    /// <summary>Inputs and tags [T, B] (index t·B + b).</summary>
    public TokenBatch Sample(int batchSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"FutureMarkerTask.Sample: batchSize must be at least 1, got {batchSize}");
        var x = new int[Steps * batchSize];
        var y = new int[Steps * batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            int marker = rng.NextDouble() < MarkerProbability ? rng.NextInt(Steps) : -1;
            for (int t = 0; t < Steps; t++)
            {
                x[t * batchSize + b] = t == marker ? Marker : 1 + rng.NextInt(Letters);
                y[t * batchSize + b] = t < marker ? 1 : 0;
            }
        }
        return new TokenBatch(x, y, Steps, batchSize);
    }

    /// <summary>
    /// The best accuracy any model that reads only the past can reach (exact, averaged over positions). At step t,
    /// having seen the marker means the tag is 0; not having seen it, the tag is 1 with probability
    /// q_t = p·(T−1−t)/T / (1 − p·(t+1)/T), and the best guess is right with probability max(q_t, 1 − q_t).
    /// </summary>
    public double BestForwardAccuracy()
    {
        double p = MarkerProbability, total = 0;
        for (int t = 0; t < Steps; t++)
        {
            double seen = p * (t + 1) / Steps, later = p * (Steps - 1 - t) / Steps;
            double notSeen = 1 - seen, q = later / notSeen;
            total += seen + notSeen * Math.Max(q, 1 - q);
        }
        return total / Steps;
    }
}
