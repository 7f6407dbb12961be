using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// Delayed recall: see a symbol, then T distractors, then a query; answer with the first symbol.
/// Alphabet: symbols 0 … K−1 (the distractors are drawn from the same K symbols) and the query marker K.
/// A sequence is [x₀, d₁, …, d_T, query] (T + 2 steps); only the last step has a target, x₀.
/// </summary>
public sealed class DelayedRecall
{
    public int Symbols { get; }
    public int Distractors { get; }

    /// <summary>The query marker's index, K.</summary>
    public int Query => Symbols;

    /// <summary>K + 1 (the symbols and the query marker).</summary>
    public int VocabularySize => Symbols + 1;

    public int Steps => Distractors + 2;

    public DelayedRecall(int symbols, int distractors)
    {
        if (symbols < 2) throw new RnnLabException($"DelayedRecall: need at least 2 symbols, got {symbols}");
        if (distractors < 0) throw new RnnLabException($"DelayedRecall: distractors must not be negative, got {distractors}");
        Symbols = symbols;
        Distractors = distractors;
    }

    /// <summary>Inputs [T + 2, B]; targets [T + 2, B], all <see cref="TokenBatch.IgnoreIndex"/> except the last step.</summary>
    public TokenBatch Sample(int batchSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"DelayedRecall.Sample: batchSize must be at least 1, got {batchSize}");
        int steps = Steps;
        var x = new int[steps * batchSize];
        var y = new int[steps * batchSize];
        Array.Fill(y, TokenBatch.IgnoreIndex);
        for (int b = 0; b < batchSize; b++)
        {
            int first = rng.NextInt(Symbols);
            x[b] = first;
            for (int t = 1; t <= Distractors; t++) x[t * batchSize + b] = rng.NextInt(Symbols);
            x[(steps - 1) * batchSize + b] = Query;
            y[(steps - 1) * batchSize + b] = first;
        }
        return new TokenBatch(x, y, steps, batchSize);
    }

    /// <summary>Without memory, the query step carries no information about x₀: cross-entropy log K (and accuracy 1/K).</summary>
    public Baseline Baseline => new("cross-entropy (nats)", Math.Log(Symbols),
        $"guess uniformly among the K = {Symbols} symbols at the query: log K (accuracy 1/K = {1.0 / Symbols:0.###})");

    /// <summary>The accuracy form of the same baseline: chance, 1/K.</summary>
    public Baseline AccuracyBaseline => new("accuracy", 1.0 / Symbols, $"chance among the K = {Symbols} symbols: 1/K");
}
