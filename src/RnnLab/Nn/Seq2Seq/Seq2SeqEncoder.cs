using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>The encoder's reading of a source batch: every position's output h_j, the fixed-size summary, and the padding mask.</summary>
/// <param name="Outputs">[B, S, D·H]: h_j = [→h_j ; ←h_j], what attention looks at.</param>
/// <param name="Summary">[B, D·H]: the forward state after the last real character and the backward state after the first.</param>
/// <param name="Lengths">[B]: real lengths of the sources.</param>
public sealed record EncodedSource(Tensor Outputs, Tensor Summary, int[] Lengths)
{
    /// <summary>The padding mask for one decoder query per example: [B, 1, S].</summary>
    public AttentionMask Mask => AttentionMask.Padding(Lengths, Outputs.Shape[1]);
}

/// <summary>
/// An embedding and a (bidirectional) GRU over a padded source batch, as PyTorch's <c>nn.GRU</c> (parameters
/// <c>rnn.weight_ih_l0</c>, ..., <c>rnn.weight_ih_l0_reverse</c>, ...). Padding is skipped by freezing the state:
/// h_t = m_t ⊙ GRU(x_t, h_{t−1}) + (1 − m_t) ⊙ h_{t−1}, with m_t = 1 on real characters and 0 on padding, so the
/// forward direction's last state is the one after the last real character, and the backward direction starts
/// fresh at each sequence's true end.
/// </summary>
public sealed class Seq2SeqEncoder : Module
{
    public Embedding Embedding { get; }
    public Gru Rnn { get; }

    public Seq2SeqEncoder(Seq2SeqConfig config, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        Embedding = RegisterModule("embedding", new Embedding(config.SourceVocabulary, config.EmbeddingSize, rng));
        Rnn = RegisterModule("rnn", new Gru(config.EmbeddingSize, config.HiddenSize, rng, bidirectional: config.Bidirectional));
    }

    /// <summary>Source indices [S, B] (time-major, index t·B + b) with true lengths [B] → outputs, summary and lengths.</summary>
    public EncodedSource Forward(int[] source, int[] lengths, int steps)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(lengths);
        int batch = lengths.Length, hidden = Rnn.HiddenSize;
        if (batch < 1 || steps < 1 || source.Length != steps * batch)
            throw new RnnLabException($"Seq2SeqEncoder: {source.Length} source indices do not fill [S, B] = [{steps}, {batch}]");
        var x = Embedding.Forward(source).Reshape(steps, batch, -1);                 // [S, B, E]
        var directions = new List<(Tensor[] Outputs, Tensor Final)>();
        foreach (bool reverse in Rnn.Bidirectional ? new[] { false, true } : [false])
        {
            var cell = Rnn.Cell(0, reverse);
            var h = Tensor.Zeros(batch, hidden);                                      // [B, H]
            var outputs = new Tensor[steps];
            for (int i = 0; i < steps; i++)
            {
                int t = reverse ? steps - 1 - i : i;
                var m = RealMask(lengths, t);                                         // [B, 1]
                var hNew = cell.Step(x.Select(0, t), h).H;                            // [B, H]
                h = m * hNew + (1.0 - m) * h;                                         // frozen on padding
                outputs[t] = h;
            }
            directions.Add((outputs, h));
        }
        var perStep = Enumerable.Range(0, steps).Select(t => directions.Count == 1 ? directions[0].Outputs[t]
            : Tensor.Concat([directions[0].Outputs[t], directions[1].Outputs[t]], axis: 1)).ToArray();
        var summary = directions.Count == 1 ? directions[0].Final : Tensor.Concat([directions[0].Final, directions[1].Final], axis: 1);
        return new EncodedSource(Tensor.Stack(perStep, axis: 1), summary, (int[])lengths.Clone());   // [B, S, D·H], [B, D·H]
    }

    private static Tensor RealMask(int[] lengths, int t)
    {
        var m = Tensor.Zeros(lengths.Length, 1);
        for (int b = 0; b < lengths.Length; b++) m.Data[b] = t < lengths[b] ? 1 : 0;
        return m;
    }
}
