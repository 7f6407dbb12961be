using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// The counting language aⁿbⁿ (Gers &amp; Schmidhuber 2001): strings S aⁿ bⁿ E with n drawn uniformly from
/// [MinN, MaxN]. The task is next-symbol prediction. After S the next symbol is a, and once the first b has
/// appeared every next symbol is determined (b until n b's have been seen, then E) — but only by counting.
/// Targets are given at exactly these predictable steps; after an a the next symbol (a or b) is a coin toss,
/// so those steps have target <see cref="TokenBatch.IgnoreIndex"/>.
/// A string counts as solved when every predictable step is predicted correctly.
/// </summary>
public sealed class CountingAnBn
{
    public const int S = 0, A = 1, B = 2, E = 3, VocabularySize = 4;
    private const string Letters = "SabE";

    public int MinN { get; }
    public int MaxN { get; }

    public CountingAnBn(int minN = 1, int maxN = 10)
    {
        if (minN < 1 || maxN < minN) throw new RnnLabException($"CountingAnBn: need 1 <= minN <= maxN, got minN = {minN}, maxN = {maxN}");
        MinN = minN;
        MaxN = maxN;
    }

    /// <summary>The string S aⁿ bⁿ E as letters, e.g. "SaabbE".</summary>
    public static string Text(int n) => "S" + new string('a', n) + new string('b', n) + "E";

    /// <summary>
    /// Inputs [T, B]: each string without its final E (2n + 1 steps), padded at the end with
    /// <see cref="TokenBatch.IgnoreIndex"/> (an all-zero one-hot); targets [T, B] as in the class summary.
    /// <paramref name="lengths"/> receives each string's n.
    /// </summary>
    public TokenBatch Sample(int batchSize, Rng rng, out int[] lengths)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"CountingAnBn.Sample: batchSize must be at least 1, got {batchSize}");
        lengths = new int[batchSize];
        for (int b = 0; b < batchSize; b++) lengths[b] = rng.NextInt(MinN, MaxN + 1);
        int steps = 2 * lengths.Max() + 1;
        var x = new int[steps * batchSize];
        var y = new int[steps * batchSize];
        Array.Fill(x, TokenBatch.IgnoreIndex);
        Array.Fill(y, TokenBatch.IgnoreIndex);
        for (int b = 0; b < batchSize; b++)
        {
            string s = Text(lengths[b]);
            for (int t = 0; t + 1 < s.Length; t++)
            {
                x[t * batchSize + b] = Letters.IndexOf(s[t]);
                bool predictable = s[t] != 'a';                       // after S: a; after b: b or E, fixed by the count
                if (predictable) y[t * batchSize + b] = Letters.IndexOf(s[t + 1]);
            }
        }
        return new TokenBatch(x, y, steps, batchSize);
    }

    /// <summary>
    /// The best memoryless rule sees only the current symbol; after a b it must always say b or always say E.
    /// "Always b" fails every string (at its E); "always E" solves only the strings with n = 1. So the
    /// fraction of strings solved without memory is P(n = 1) = 1/(MaxN − MinN + 1) if MinN = 1, else 0.
    /// </summary>
    public Baseline Baseline => new("string accuracy", MinN == 1 ? 1.0 / (MaxN - MinN + 1) : 0.0,
        "best memoryless rule: predict E after every b, which solves only the strings with n = 1: P(n = 1)");
}
