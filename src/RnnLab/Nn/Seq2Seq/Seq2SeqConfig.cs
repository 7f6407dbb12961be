namespace RnnLab.Nn;

/// <summary>How the decoder gets its view of the source at each step.</summary>
public enum AttentionKind
{
    /// <summary>No attention: every step sees the same fixed summary of the source (the encoder's final states): the bottleneck.</summary>
    None,
    /// <summary>Bahdanau et al. (2014): e_j = vᵀ tanh(W s + U h_j).</summary>
    Additive,
    /// <summary>Luong et al. (2015): e_j = sᵀ h_j.</summary>
    Dot,
    /// <summary>Luong et al. (2015): e_j = sᵀ W h_j.</summary>
    General,
    /// <summary>Vaswani et al. (2017): e_j = sᵀ h_j / √D.</summary>
    ScaledDot,
}

/// <summary>
/// Sizes of a <see cref="Seq2SeqModel"/>. The encoder is a GRU of <see cref="HiddenSize"/> per direction; the decoder's
/// state has the size of the encoder outputs (D·H), so every score function, dot product included, applies.
/// </summary>
public sealed record Seq2SeqConfig(int SourceVocabulary, int TargetVocabulary)
{
    public int EmbeddingSize { get; init; } = 16;
    public int HiddenSize { get; init; } = 48;
    public bool Bidirectional { get; init; } = true;
    public AttentionKind Attention { get; init; } = AttentionKind.Additive;

    /// <summary>Hidden size of the additive score network.</summary>
    public int AttentionSize { get; init; } = 48;

    /// <summary>D·H: the size of an encoder output, of the context vector, and of the decoder state.</summary>
    public int ContextSize => (Bidirectional ? 2 : 1) * HiddenSize;
}
