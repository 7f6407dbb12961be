using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>What multi-head self-attention returns: the output [B, T, D] and each head's weights [B, heads, T, T].</summary>
public sealed record SelfAttentionOutput(Tensor Output, Tensor Weights)
{
    /// <summary>Head <paramref name="head"/>'s weights for example <paramref name="b"/>, as plain data for a heatmap.</summary>
    public AttentionMap Map(int b, int head, IReadOnlyList<string>? tokens = null)
    {
        int batch = Weights.Shape[0], heads = Weights.Shape[1], t = Weights.Shape[2];
        if ((uint)head >= (uint)heads) throw new RnnLabException($"SelfAttentionOutput.Map: head {head} is out of range 0 … {heads - 1}");
        if ((uint)b >= (uint)batch) throw new RnnLabException($"SelfAttentionOutput.Map: example {b} is out of range 0 … {batch - 1}");
        return AttentionMap.FromBatch($"head {head}", Weights.Data, batch * heads, t, t, b * heads + head, tokens, tokens);
    }
}

/// <summary>
/// Multi-head self-attention (Vaswani et al. 2017) as PyTorch's <c>nn.MultiheadAttention</c> with batch_first:
/// every position of x [B, T, D] makes a query, a key and a value (<c>in_proj_weight</c> [3D, D], <c>in_proj_bias</c> [3D]),
/// each of the h heads attends in its own D/h-dimensional subspace, and <c>out_proj</c> mixes the heads:
/// MultiHead(x) = Concat(head_1, …, head_h) W_O,  head_i = softmax(Q_i K_iᵀ / √(D/h)) V_i.
/// </summary>
public sealed class MultiHeadSelfAttention : Module
{
    public int EmbedDim { get; }
    public int NumHeads { get; }
    public int HeadDim => EmbedDim / NumHeads;
    public Tensor InProjWeight { get; }   // [3D, D]: rows W_Q, W_K, W_V
    public Tensor InProjBias { get; }     // [3D]
    private readonly Linear _outProj;

    public MultiHeadSelfAttention(int embedDim, int numHeads, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0)
            throw new RnnLabException($"MultiHeadSelfAttention: embedDim ({embedDim}) must be a positive multiple of numHeads ({numHeads})");
        EmbedDim = embedDim; NumHeads = numHeads;
        InProjWeight = RegisterParameter("in_proj_weight", Tensor.Zeros(3 * embedDim, embedDim));
        Init.XavierUniform(InProjWeight, rng);                        // PyTorch: xavier_uniform_ on in_proj_weight
        InProjBias = RegisterParameter("in_proj_bias", Tensor.Zeros(3 * embedDim));
        _outProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, rng));
        Init.Constant(_outProj.Bias!, 0);
    }

    /// <summary>x [B, T, D] → output [B, T, D] and weights [B, heads, T, T]. Mask: [B, T, T] (causal and/or padding).</summary>
    public SelfAttentionOutput Forward(Tensor x, AttentionMask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Shape[2] != EmbedDim || x.Shape[1] < 1)
            throw new RnnLabException($"MultiHeadSelfAttention: expected x [B, T, {EmbedDim}] with T ≥ 1, got {Tensor.ShapeString(x.Shape)}");
        int batch = x.Shape[0], steps = x.Shape[1], h = NumHeads, dh = HeadDim;
        mask?.CheckFits("MultiHeadSelfAttention", batch, steps, steps);
        var qkv = (Tensor.MatMul(x, InProjWeight, transposeB: true) + InProjBias).Split(3, axis: 2);   // 3 × [B, T, D]
        var q = SplitHeads(qkv[0], batch, steps);                                     // [B·h, T, D/h]
        var k = SplitHeads(qkv[1], batch, steps);
        var v = SplitHeads(qkv[2], batch, steps);
        var attended = ScaledDotProductAttention.Forward(q, k, v, mask?.RepeatPerHead(h));   // [B·h, T, D/h]
        var merged = attended.Output.Reshape(batch, h, steps, dh).Transpose(1, 2).Reshape(batch, steps, EmbedDim);   // [B, T, D]
        return new SelfAttentionOutput(_outProj.Forward(merged), attended.Weights.Reshape(batch, h, steps, steps));
    }

    // [B, T, D] → [B, T, h, D/h] → [B, h, T, D/h] → [B·h, T, D/h]: each head becomes its own sequence.
    private Tensor SplitHeads(Tensor t, int batch, int steps) =>
        t.Reshape(batch, steps, NumHeads, HeadDim).Transpose(1, 2).Reshape(batch * NumHeads, steps, HeadDim);
}
