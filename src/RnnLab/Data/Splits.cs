using RnnLab.Autodiff;

namespace RnnLab.Data;

/// <summary>A training part and a held-out validation part.</summary>
public sealed record TrainValidation<T>(T Train, T Validation);

/// <summary>Train/validation splits.</summary>
public static class Splits
{
    /// <summary>
    /// The first (1 − <paramref name="validationFraction"/>) of a sequence for training, the rest for validation,
    /// without shuffling: right for text streams, where neighbouring characters are not independent (char-rnn does this).
    /// </summary>
    public static TrainValidation<T[]> Contiguous<T>(IReadOnlyList<T> items, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(items);
        int nVal = ValidationCount("Splits.Contiguous", items.Count, validationFraction);
        int nTrain = items.Count - nVal;
        return new(items.Take(nTrain).ToArray(), items.Skip(nTrain).ToArray());
    }

    /// <summary>The same for text: the first part of the string for training, the end for validation.</summary>
    public static TrainValidation<string> Contiguous(string text, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(text);
        int nTrain = text.Length - ValidationCount("Splits.Contiguous", text.Length, validationFraction);
        return new(text[..nTrain], text[nTrain..]);
    }

    /// <summary>A seeded random split for independent examples (sentences, reviews).</summary>
    public static TrainValidation<T[]> Shuffled<T>(IReadOnlyList<T> items, double validationFraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(rng);
        int nVal = ValidationCount("Splits.Shuffled", items.Count, validationFraction);
        T[] shuffled = items.ToArray();
        rng.Shuffle(shuffled);
        return new(shuffled[..^nVal], shuffled[^nVal..]);
    }

    private static int ValidationCount(string op, int count, double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new RnnLabException($"{op}: validationFraction must be between 0 and 1 (exclusive), got {fraction}");
        int nVal = (int)Math.Round(count * fraction);
        if (nVal < 1 || nVal >= count)
            throw new RnnLabException($"{op}: {count} items cannot be split with validationFraction {fraction}: each part needs at least one item");
        return nVal;
    }
}
