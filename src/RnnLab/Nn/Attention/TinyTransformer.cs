using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A tiny decoder-only transformer character model (GPT-style): token embedding + sinusoidal positions,
/// <see cref="TransformerEncoderBlock"/>s (pre-norm) under a causal mask so position t sees only 0 … t,
/// a final layer norm and a linear head to next-character scores. Parameters: <c>embedding.weight</c>,
/// <c>blocks_0.*</c>, …, <c>norm.*</c>, <c>head.*</c>.
/// </summary>
public sealed class TinyTransformer : Module
{
    public int Vocabulary { get; }
    public int ModelDim { get; }
    public IReadOnlyList<TransformerEncoderBlock> Blocks { get; }
    private readonly Embedding _embedding;
    private readonly LayerNorm _norm;
    private readonly Linear _head;

    public TinyTransformer(int vocabulary, int modelDim, int numHeads, int numLayers, int feedForwardDim, Rng rng)
    {
        if (numLayers < 1) throw new RnnLabException($"TinyTransformer: numLayers must be positive, got {numLayers}");
        Vocabulary = vocabulary; ModelDim = modelDim;
        _embedding = RegisterModule("embedding", new Embedding(vocabulary, modelDim, rng));
        Blocks = Enumerable.Range(0, numLayers)
            .Select(l => RegisterModule($"blocks_{l}", new TransformerEncoderBlock(modelDim, numHeads, feedForwardDim, rng, normFirst: true))).ToArray();
        _norm = RegisterModule("norm", new LayerNorm(modelDim));
        _head = RegisterModule("head", new Linear(modelDim, vocabulary, rng));
    }

    /// <summary>Tokens [B, T] (index b·T + t) → next-token scores [B, T, V] and each layer's attention.</summary>
    public (Tensor Logits, IReadOnlyList<SelfAttentionOutput> Attention) Forward(int[] tokens, int batch, int steps)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (batch < 1 || steps < 1 || tokens.Length != batch * steps)
            throw new RnnLabException($"TinyTransformer: {tokens.Length} tokens do not fill [B, T] = [{batch}, {steps}]");
        var x = _embedding.Forward(tokens).Reshape(batch, steps, ModelDim)               // [B, T, D]
              + PositionalEncoding.Sinusoidal(steps, ModelDim);                              // + PE [T, D]
        var mask = AttentionMask.Causal(batch, steps);
        var maps = new List<SelfAttentionOutput>();
        foreach (var block in Blocks)
        {
            var o = block.Forward(x, mask);                                              // [B, T, D]: all T positions at once
            x = o.Output;
            maps.Add(o.Attention);
        }
        return (_head.Forward(_norm.Forward(x)), maps);                                  // [B, T, V]
    }
}
