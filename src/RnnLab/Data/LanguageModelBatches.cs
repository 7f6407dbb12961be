using RnnLab.Autodiff;

namespace RnnLab.Data;

/// <summary>
/// Batches for next-token prediction: the target at each step is the following token.
/// </summary>
public static class LanguageModelBatches
{
    /// <summary>
    /// Contiguous streams for truncated BPTT, as in char-rnn: the corpus is cut into B equal streams of
    /// L = ⌊(N − 1) / B⌋ tokens; column b of every batch continues stream b where the previous batch stopped,
    /// so the hidden state can be carried from one batch to the next (detached) without a seam.
    /// Batch k holds inputs[t, b] = tokens[b·L + k·T + t] and targets[t, b] = tokens[b·L + k·T + t + 1];
    /// there are ⌊L / T⌋ batches, and the last L mod T tokens of each stream are dropped.
    /// </summary>
    public static IReadOnlyList<TokenBatch> Contiguous(int[] tokens, int batchSize, int steps)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        CheckSizes("LanguageModelBatches.Contiguous", batchSize, steps);
        int streamLength = (tokens.Length - 1) / batchSize;
        if (streamLength < steps)
            throw new RnnLabException($"LanguageModelBatches.Contiguous: {tokens.Length} tokens are too few for {batchSize} streams of at least " +
                                      $"{steps} steps (+1 for the last target); use a smaller batch or fewer steps");
        int count = streamLength / steps;
        var batches = new TokenBatch[count];
        for (int k = 0; k < count; k++)
        {
            var x = new int[steps * batchSize];                                       // [T, B]
            var y = new int[steps * batchSize];                                       // [T, B]
            for (int t = 0; t < steps; t++)
                for (int b = 0; b < batchSize; b++)
                {
                    int p = b * streamLength + k * steps + t;
                    x[t * batchSize + b] = tokens[p];
                    y[t * batchSize + b] = tokens[p + 1];
                }
            batches[k] = new TokenBatch(x, y, steps, batchSize);
        }
        return batches;
    }

    /// <summary>
    /// B windows of T steps starting at independent uniformly random offsets (seeded): inputs[t, b] = tokens[s_b + t],
    /// targets[t, b] = tokens[s_b + t + 1], s_b ∈ [0, N − T − 1]. No state carries between such batches.
    /// </summary>
    public static TokenBatch RandomWindows(int[] tokens, int batchSize, int steps, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(rng);
        CheckSizes("LanguageModelBatches.RandomWindows", batchSize, steps);
        if (tokens.Length < steps + 1)
            throw new RnnLabException($"LanguageModelBatches.RandomWindows: {tokens.Length} tokens are too few for a window of {steps} steps (+1 for the last target)");
        var x = new int[steps * batchSize];
        var y = new int[steps * batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            int start = rng.NextInt(tokens.Length - steps);
            for (int t = 0; t < steps; t++)
            {
                x[t * batchSize + b] = tokens[start + t];
                y[t * batchSize + b] = tokens[start + t + 1];
            }
        }
        return new TokenBatch(x, y, steps, batchSize);
    }

    private static void CheckSizes(string op, int batchSize, int steps)
    {
        if (batchSize < 1) throw new RnnLabException($"{op}: batchSize must be at least 1, got {batchSize}");
        if (steps < 1) throw new RnnLabException($"{op}: steps must be at least 1, got {steps}");
    }
}
