using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// The copy-memory task (Arjovsky, Shah &amp; Bengio 2016, after Hochreiter &amp; Schmidhuber 1997).
/// Alphabet of 10 symbols: 0 blank, 1–8 data, 9 delimiter. A sequence of length T + 20 starts with 10 random
/// data symbols, then T − 1 blanks, the delimiter, and 10 more blanks. The target is T + 10 blanks followed by
/// the 10 data symbols: the model must reproduce them after a delay of T steps.
/// </summary>
public sealed class CopyMemory
{
    public const int Blank = 0, Delimiter = 9, VocabularySize = 10, CopyLength = 10, DataSymbols = 8;

    /// <summary>The delay T (number of steps between the data and the delimiter, plus one).</summary>
    public int Delay { get; }

    /// <summary>Sequence length T + 20.</summary>
    public int Steps => Delay + 2 * CopyLength;

    public CopyMemory(int delay)
    {
        if (delay < 1) throw new RnnLabException($"CopyMemory: delay must be at least 1, got {delay}");
        Delay = delay;
    }

    /// <summary>Inputs and targets [T + 20, B], indices into the 10-symbol alphabet.</summary>
    public TokenBatch Sample(int batchSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"CopyMemory.Sample: batchSize must be at least 1, got {batchSize}");
        int steps = Steps;
        var x = new int[steps * batchSize];                                              // [T+20, B], blanks
        var y = new int[steps * batchSize];                                              // [T+20, B], blanks
        for (int b = 0; b < batchSize; b++)
        {
            for (int i = 0; i < CopyLength; i++)
            {
                int symbol = 1 + rng.NextInt(DataSymbols);
                x[i * batchSize + b] = symbol;
                y[(Delay + CopyLength + i) * batchSize + b] = symbol;
            }
            x[(CopyLength + Delay - 1) * batchSize + b] = Delimiter;
        }
        return new TokenBatch(x, y, steps, batchSize);
    }

    /// <summary>
    /// Cross-entropy per step of the memoryless strategy: predict blank for the first T + 10 steps (loss 0) and a
    /// uniform guess over the 8 data symbols for the last 10 (loss log 8 each): 10·log(8) / (T + 20).
    /// </summary>
    public Baseline Baseline => new("cross-entropy (nats per step)", CopyLength * Math.Log(DataSymbols) / Steps,
        $"predict blank, then guess uniformly among the 8 data symbols for the last 10 steps: 10*log(8)/(T+20) with T = {Delay}");
}
