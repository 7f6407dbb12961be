using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Luong, Pham &amp; Manning (2015) "dot" attention: e_j = sᵀ h_j. No parameters; the query and keys must have the same size.
/// </summary>
public sealed class DotAttention(int size) : Attention("DotAttention", size, size)
{
    protected override Tensor Scores(Tensor query, AttentionKeys keys) =>
        DotScores(query, keys.Values);                                                // [B, 1, T]

    /// <summary>e_j = qᵀ h_j for query [B, D] and keys [B, T, D] → [B, 1, T].</summary>
    internal static Tensor DotScores(Tensor query, Tensor keys) =>
        Tensor.MatMul(query.Reshape(query.Shape[0], 1, query.Shape[1]), keys, transposeB: true);
}

/// <summary>
/// Scaled dot-product scoring (Vaswani et al. 2017) for one query: e_j = sᵀ h_j / √D. Dividing by √D keeps the
/// scores' variance near 1 whatever D is, so the softmax does not saturate into a one-hot with vanishing gradients.
/// </summary>
public sealed class ScaledDotAttention(int size) : Attention("ScaledDotAttention", size, size)
{
    protected override Tensor Scores(Tensor query, AttentionKeys keys) =>
        DotAttention.DotScores(query, keys.Values) * (1 / Math.Sqrt(KeySize));        // [B, 1, T]
}

/// <summary>
/// Luong et al. (2015) "general" attention: e_j = sᵀ W_a h_j, a learnt bilinear form between query size Dq and key
/// size Dk. Stored as <c>weight</c> W_aᵀ [Dk, Dq] (a Linear from query to key space without bias): e_j = (W_aᵀ s)ᵀ h_j.
/// </summary>
public sealed class GeneralAttention : Attention
{
    private readonly Linear _proj;

    public GeneralAttention(int querySize, int keySize, Rng rng) : base("GeneralAttention", querySize, keySize)
    {
        _proj = new Linear(querySize, keySize, rng, bias: false);
        RegisterParameter("weight", _proj.Weight);
    }

    protected override Tensor Scores(Tensor query, AttentionKeys keys) =>
        DotAttention.DotScores(_proj.Forward(query), keys.Values);                   // [B, 1, T]
}
