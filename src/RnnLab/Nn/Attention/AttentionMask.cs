using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Which keys each query may look at, for scores of shape [B, Tq, Tk]: <c>Allowed</c> holds one flag per score,
/// row-major. Masked scores get EXACTLY zero attention weight (see <see cref="Tensor.MaskedSoftmax"/>).
/// Build one with <see cref="Padding"/> (ignore the padding after each sequence's real length),
/// <see cref="Causal"/> (no peeking at later positions), and combine them with <see cref="And"/>.
/// </summary>
public sealed record AttentionMask(int Batch, int Queries, int Keys, bool[] Allowed)
{
    /// <summary>Key j of example b is allowed when j &lt; keyLengths[b]; the same for every query.</summary>
    public static AttentionMask Padding(int[] keyLengths, int keys, int queries = 1)
    {
        ArgumentNullException.ThrowIfNull(keyLengths);
        if (keys < 1 || queries < 1) throw new RnnLabException($"AttentionMask.Padding: keys and queries must be positive, got {keys} and {queries}");
        var allowed = new bool[keyLengths.Length * queries * keys];
        for (int b = 0; b < keyLengths.Length; b++)
        {
            if (keyLengths[b] < 1 || keyLengths[b] > keys)
                throw new RnnLabException($"AttentionMask.Padding: length {keyLengths[b]} of example {b} must be between 1 and the padded length {keys}");
            for (int q = 0; q < queries; q++)
                for (int j = 0; j < keyLengths[b]; j++) allowed[(b * queries + q) * keys + j] = true;
        }
        return new AttentionMask(keyLengths.Length, queries, keys, allowed);
    }

    /// <summary>Query t may look at keys 0 … t only (a decoder or language model must not see the future).</summary>
    public static AttentionMask Causal(int batch, int steps)
    {
        if (batch < 1 || steps < 1) throw new RnnLabException($"AttentionMask.Causal: batch and steps must be positive, got {batch} and {steps}");
        var allowed = new bool[batch * steps * steps];
        for (int b = 0; b < batch; b++)
            for (int q = 0; q < steps; q++)
                for (int j = 0; j <= q; j++) allowed[(b * steps + q) * steps + j] = true;
        return new AttentionMask(batch, steps, steps, allowed);
    }

    /// <summary>Allowed only where both masks allow (e.g. causal and padding).</summary>
    public AttentionMask And(AttentionMask other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Batch != Batch || other.Queries != Queries || other.Keys != Keys)
            throw new RnnLabException($"AttentionMask.And: shapes differ: [{Batch}, {Queries}, {Keys}] and [{other.Batch}, {other.Queries}, {other.Keys}]");
        return this with { Allowed = Allowed.Zip(other.Allowed, (a, b) => a && b).ToArray() };
    }

    /// <summary>The same mask for each of <paramref name="heads"/> heads: [B·heads, Tq, Tk], head-major within each example.</summary>
    public bool[] RepeatPerHead(int heads)
    {
        int block = Queries * Keys;
        var allowed = new bool[Allowed.Length * heads];
        for (int b = 0; b < Batch; b++)
            for (int h = 0; h < heads; h++) Array.Copy(Allowed, b * block, allowed, (b * heads + h) * block, block);
        return allowed;
    }

    /// <summary>Checks the mask fits scores [B, Tq, Tk].</summary>
    internal void CheckFits(string op, int batch, int queries, int keys)
    {
        if (Batch != batch || Queries != queries || Keys != keys)
            throw new RnnLabException($"{op}: the mask is for scores [{Batch}, {Queries}, {Keys}] but the scores are [{batch}, {queries}, {keys}]");
    }
}
