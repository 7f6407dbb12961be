using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Keys ready for scoring: the encoder outputs themselves (<c>Values</c>, [B, T, Dk]) and whatever a score function
/// can compute once per sequence instead of once per decoder step (<c>Projected</c>; for additive attention U·h_j).
/// </summary>
public sealed record AttentionKeys(Tensor Values, Tensor Projected);

/// <summary>
/// One attention read: the context vector c = Σ_j α_j h_j ([B, Dk]) and the weights α ([B, T]; each row sums to 1).
/// </summary>
public sealed record AttentionRead(Tensor Context, Tensor Weights);

/// <summary>
/// Attention for an encoder–decoder: a query (the decoder state s, [B, Dq]) scores every key (encoder output h_j,
/// [B, T, Dk]) with e_j = score(s, h_j), the scores become weights α = softmax(e) over the unmasked positions, and the
/// read is the weighted average c = Σ_j α_j h_j. The score functions differ:
/// <see cref="AdditiveAttention"/> (Bahdanau et al. 2014), <see cref="DotAttention"/> and <see cref="GeneralAttention"/>
/// (Luong et al. 2015), <see cref="ScaledDotAttention"/> (Vaswani et al. 2017).
/// </summary>
public abstract class Attention : Module
{
    public int QuerySize { get; }
    public int KeySize { get; }
    private readonly string _kind;

    protected Attention(string kind, int querySize, int keySize)
    {
        if (querySize < 1 || keySize < 1) throw new RnnLabException($"{kind}: query and key sizes must be positive, got {querySize} and {keySize}");
        _kind = kind; QuerySize = querySize; KeySize = keySize;
    }

    /// <summary>Prepares keys [B, T, Dk] once per sequence (the decoder then calls <see cref="Forward(Tensor, AttentionKeys, AttentionMask?)"/> every step).</summary>
    public AttentionKeys Prepare(Tensor keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Rank != 3 || keys.Shape[2] != KeySize || keys.Shape[1] < 1)
            throw new RnnLabException($"{_kind}: expected keys [B, T, {KeySize}] with T ≥ 1, got {Tensor.ShapeString(keys.Shape)}");
        return new AttentionKeys(keys, Project(keys));
    }

    /// <summary>One read with keys [B, T, Dk] (prepared on the spot).</summary>
    public AttentionRead Forward(Tensor query, Tensor keys, AttentionMask? mask = null) => Forward(query, Prepare(keys), mask);

    /// <summary>One read: query [B, Dq] → context [B, Dk] and weights [B, T]. Masked keys get weight exactly 0.</summary>
    public AttentionRead Forward(Tensor query, AttentionKeys keys, AttentionMask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keys);
        int batch = keys.Values.Shape[0], steps = keys.Values.Shape[1];
        if (query.Rank != 2 || query.Shape[0] != batch || query.Shape[1] != QuerySize)
            throw new RnnLabException($"{_kind}: expected query [{batch}, {QuerySize}] (batch of the keys, query size), got {Tensor.ShapeString(query.Shape)}");
        mask?.CheckFits(_kind, batch, 1, steps);
        var scores = Scores(query, keys);                                               // [B, 1, T]: e_j = score(s, h_j)
        var weights = mask is null ? scores.Softmax() : scores.MaskedSoftmax(mask.Allowed);   // [B, 1, T]: α = softmax(e)
        var context = Tensor.MatMul(weights, keys.Values);                              // [B, 1, Dk]: c = Σ_j α_j h_j
        return new AttentionRead(context.Reshape(batch, KeySize), weights.Reshape(batch, steps));
    }

    /// <summary>Per-sequence work on the keys [B, T, Dk]; by default none.</summary>
    protected virtual Tensor Project(Tensor keys) => keys;

    /// <summary>The scores e [B, 1, T] of query [B, Dq] against every key.</summary>
    protected abstract Tensor Scores(Tensor query, AttentionKeys keys);
}
