using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// Delayed recall: see a symbol, then T distractors, then a query; answer with the first symbol.
/// Alphabet: symbols 0 … K−1, then N noise tokens K … K+N−1, then the query marker K+N. With N = 0 the distractors
/// are drawn from the same K symbols; with N &gt; 0 they are drawn from the noise tokens only, which never are the answer.
/// A sequence is [x₀, d₁, …, d_T, query] (T + 2 steps); only the last step has a target, x₀.
/// </summary>
public sealed class DelayedRecall
{
    public int Symbols { get; }
    public int Distractors { get; }

    /// <summary>N, the number of noise tokens the distractors are drawn from (0: from the K symbols themselves).</summary>
    public int NoiseSymbols { get; }

    /// <summary>The query marker's index, K + N.</summary>
    public int Query => Symbols + NoiseSymbols;

    /// <summary>K + N + 1 (the symbols, the noise tokens and the query marker).</summary>
    public int VocabularySize => Symbols + NoiseSymbols + 1;

    public int Steps => Distractors + 2;

    public DelayedRecall(int symbols, int distractors, int noiseSymbols = 0)
    {
        if (symbols < 2) throw new RnnLabException($"DelayedRecall: need at least 2 symbols, got {symbols}");
        if (distractors < 0) throw new RnnLabException($"DelayedRecall: distractors must not be negative, got {distractors}");
        if (noiseSymbols < 0) throw new RnnLabException($"DelayedRecall: noiseSymbols must not be negative (0 draws the distractors from the symbols), got {noiseSymbols}");
        Symbols = symbols;
        Distractors = distractors;
        NoiseSymbols = noiseSymbols;
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
            for (int t = 1; t <= Distractors; t++)
                x[t * batchSize + b] = NoiseSymbols == 0 ? rng.NextInt(Symbols) : Symbols + rng.NextInt(NoiseSymbols);
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
