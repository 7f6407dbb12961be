using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>What one encoder block returns: its output [B, T, D] and the self-attention weights [B, heads, T, T].</summary>
public sealed record TransformerBlockOutput(Tensor Output, SelfAttentionOutput Attention);

/// <summary>
/// One transformer encoder block (Vaswani et al. 2017), as PyTorch's <c>nn.TransformerEncoderLayer</c> with
/// batch_first, ReLU and no dropout: self-attention and a position-wise MLP, each wrapped in a residual connection
/// and layer normalisation. Post-norm (PyTorch's default, the paper's form):
/// <code>x = norm1(x + SelfAttn(x));  x = norm2(x + MLP(x))</code>
/// or, with <c>normFirst</c> (pre-norm, easier to train when small or deep):
/// <code>x = x + SelfAttn(norm1(x));  x = x + MLP(norm2(x))</code>
/// with MLP(x) = linear2(relu(linear1(x))). Parameters: <c>self_attn.*</c>, <c>linear1</c> [F, D], <c>linear2</c> [D, F],
/// <c>norm1</c>, <c>norm2</c>.
/// </summary>
public sealed class TransformerEncoderBlock : Module
{
    public int ModelDim { get; }
    public bool NormFirst { get; }
    public MultiHeadSelfAttention SelfAttention { get; }
    private readonly Linear _linear1, _linear2;
    private readonly LayerNorm _norm1, _norm2;

    public TransformerEncoderBlock(int modelDim, int numHeads, int feedForwardDim, Rng rng, bool normFirst = false)
    {
        if (feedForwardDim < 1) throw new RnnLabException($"TransformerEncoderBlock: feedForwardDim must be positive, got {feedForwardDim}");
        ModelDim = modelDim; NormFirst = normFirst;
        SelfAttention = RegisterModule("self_attn", new MultiHeadSelfAttention(modelDim, numHeads, rng));
        _linear1 = RegisterModule("linear1", new Linear(modelDim, feedForwardDim, rng));
        _linear2 = RegisterModule("linear2", new Linear(feedForwardDim, modelDim, rng));
        _norm1 = RegisterModule("norm1", new LayerNorm(modelDim));
        _norm2 = RegisterModule("norm2", new LayerNorm(modelDim));
    }

    /// <summary>x [B, T, D] → [B, T, D]. Mask [B, T, T]: causal for a language model, padding for ragged batches.</summary>
    public TransformerBlockOutput Forward(Tensor x, AttentionMask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (NormFirst)
        {
            var attn = SelfAttention.Forward(_norm1.Forward(x), mask);
            x = x + attn.Output;                                                      // [B, T, D]: residual around attention
            return new TransformerBlockOutput(x + Mlp(_norm2.Forward(x)), attn);      // residual around the MLP
        }
        var a = SelfAttention.Forward(x, mask);
        x = _norm1.Forward(x + a.Output);                                             // [B, T, D]
        return new TransformerBlockOutput(_norm2.Forward(x + Mlp(x)), a);
    }

    private Tensor Mlp(Tensor x) => _linear2.Forward(_linear1.Forward(x).Relu());      // [B, T, D] → [B, T, F] → [B, T, D]
}
