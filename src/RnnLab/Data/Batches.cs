using RnnLab.Autodiff;

namespace RnnLab.Data;

/// <summary>
/// A batch of token sequences in time-major layout [T, B] (like PyTorch's RNNs without batch_first):
/// element (t, b) is at index t·B + b. <see cref="Targets"/> has the same layout, so that
/// <c>Tensor.CrossEntropy(logits.Reshape(T * B, V), batch.Targets)</c> lines up row for row.
/// Positions whose target is <see cref="IgnoreIndex"/> are padding and are skipped by CrossEntropy.
/// </summary>
public sealed record TokenBatch(int[] Inputs, int[] Targets, int Steps, int BatchSize)
{
    /// <summary>The target value that marks padding (PyTorch's ignore_index default).</summary>
    public const int IgnoreIndex = -100;

    /// <summary>The input index at time <paramref name="t"/> of sequence <paramref name="b"/>.</summary>
    public int Input(int t, int b) => Inputs[t * BatchSize + b];

    /// <summary>The target at time <paramref name="t"/> of sequence <paramref name="b"/>.</summary>
    public int Target(int t, int b) => Targets[t * BatchSize + b];

    /// <summary>The inputs as a tensor of indices [T, B] (for an embedding lookup).</summary>
    public Tensor InputIndices() => Batching.Indices(Inputs, Steps, BatchSize);

    /// <summary>The inputs one-hot [T, B, V].</summary>
    public Tensor InputOneHot(int vocabularySize) => Batching.OneHot(Inputs, Steps, BatchSize, vocabularySize);
}

/// <summary>Turns index arrays into tensors and pads variable-length sequences into batches.</summary>
public static class Batching
{
    /// <summary>Indices [T·B] as a tensor of doubles [T, B].</summary>
    public static Tensor Indices(int[] indices, int steps, int batchSize)
    {
        CheckLayout("Batching.Indices", indices, steps, batchSize);
        return new Tensor(indices.Select(i => (double)i).ToArray(), steps, batchSize);
    }

    /// <summary>
    /// Indices [T·B] one-hot as [T, B, V]. A padding position (a negative index such as
    /// <see cref="TokenBatch.IgnoreIndex"/>) becomes an all-zero vector.
    /// </summary>
    public static Tensor OneHot(int[] indices, int steps, int batchSize, int vocabularySize)
    {
        CheckLayout("Batching.OneHot", indices, steps, batchSize);
        if (vocabularySize < 1) throw new RnnLabException($"Batching.OneHot: the vocabulary size must be at least 1, got {vocabularySize}");
        var data = new double[indices.Length * vocabularySize];                          // [T, B, V]
        for (int i = 0; i < indices.Length; i++)
        {
            int v = indices[i];
            if (v < 0) continue;
            if (v >= vocabularySize)
                throw new RnnLabException($"Batching.OneHot: index {v} at position {i} is out of range 0 … {vocabularySize - 1}");
            data[i * vocabularySize + v] = 1;
        }
        return new Tensor(data, steps, batchSize, vocabularySize);
    }

    /// <summary>
    /// Pads sequences of different lengths to the longest: returns [T, B] inputs (padded with
    /// <paramref name="padIndex"/>), and the lengths. Use <see cref="Mask"/> to weight per-step losses.
    /// </summary>
    public static PaddedBatch Pad(IReadOnlyList<int[]> sequences, int padIndex)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new RnnLabException("Batching.Pad: no sequences were given");
        int b = sequences.Count, t = sequences.Max(s => s.Length);
        if (t == 0) throw new RnnLabException("Batching.Pad: every sequence is empty");
        var data = new int[t * b];
        Array.Fill(data, padIndex);
        for (int j = 0; j < b; j++)
            for (int i = 0; i < sequences[j].Length; i++) data[i * b + j] = sequences[j][i];
        return new PaddedBatch(data, sequences.Select(s => s.Length).ToArray(), t, b);
    }

    private static void CheckLayout(string op, int[] indices, int steps, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (steps < 1 || batchSize < 1 || (long)steps * batchSize != indices.Length)
            throw new RnnLabException($"{op}: {indices.Length} indices do not fill [T, B] = [{steps}, {batchSize}]");
    }
}

/// <summary>Variable-length sequences padded to [T, B] (index t·B + b); <see cref="Lengths"/>[b] is sequence b's true length.</summary>
public sealed record PaddedBatch(int[] Indices, int[] Lengths, int Steps, int BatchSize)
{
    /// <summary>1 where a sequence has a real element, 0 on padding: [T, B].</summary>
    public Tensor Mask()
    {
        var m = new double[Steps * BatchSize];
        for (int b = 0; b < BatchSize; b++)
            for (int t = 0; t < Lengths[b]; t++) m[t * BatchSize + b] = 1;
        return new Tensor(m, Steps, BatchSize);
    }

    /// <summary>The indices as a tensor [T, B].</summary>
    public Tensor IndexTensor() => Batching.Indices(Indices, Steps, BatchSize);

    /// <summary>The indices one-hot [T, B, V] (padding positions one-hot too, at the pad index; mask them).</summary>
    public Tensor OneHot(int vocabularySize) => Batching.OneHot(Indices, Steps, BatchSize, vocabularySize);
}
