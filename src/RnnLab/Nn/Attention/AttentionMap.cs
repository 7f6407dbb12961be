namespace RnnLab.Nn;

/// <summary>
/// Attention weights as plain data, for traces and plots: <c>Weights[q][k]</c> is how much query q (a decoder step,
/// or a position in self-attention) looks at key k. Each row sums to 1; masked keys are exactly 0.
/// Labels (tokens, characters) are optional.
/// </summary>
public sealed record AttentionMap(string Name, double[][] Weights, IReadOnlyList<string>? QueryLabels = null, IReadOnlyList<string>? KeyLabels = null)
{
    public int Queries => Weights.Length;
    public int Keys => Weights.Length == 0 ? 0 : Weights[0].Length;

    /// <summary>Example <paramref name="b"/>'s weights from a [B, Tq, Tk] array (row-major), as a map.</summary>
    public static AttentionMap FromBatch(string name, double[] weights, int batch, int queries, int keys, int b,
                                         IReadOnlyList<string>? queryLabels = null, IReadOnlyList<string>? keyLabels = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != batch * queries * keys || (uint)b >= (uint)batch)
            throw new RnnLabException($"AttentionMap: {weights.Length} weights do not form [{batch}, {queries}, {keys}], or example {b} is out of range");
        var rows = new double[queries][];
        for (int q = 0; q < queries; q++) rows[q] = weights.AsSpan((b * queries + q) * keys, keys).ToArray();
        return new AttentionMap(name, rows, queryLabels, keyLabels);
    }
}
