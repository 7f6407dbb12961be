using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>The output of scaled dot-product attention: values mixed per query [S, Tq, Dv] and the weights [S, Tq, Tk].</summary>
public sealed record AttentionOutput(Tensor Output, Tensor Weights);

/// <summary>
/// Attention(Q, K, V) = softmax(Q Kᵀ / √d) V (Vaswani et al. 2017), for S independent sequences (batch × heads) at once:
/// Q [S, Tq, d], K [S, Tk, d], V [S, Tk, Dv]. Every query compares itself with every key in one matrix product:
/// there is no recurrence, so all positions are computed in parallel.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <param name="allowed">Optional mask [S, Tq, Tk] (row-major flags); masked weights are exactly 0.</param>
    public static AttentionOutput Forward(Tensor q, Tensor k, Tensor v, bool[]? allowed = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || q.Shape[0] != k.Shape[0] || k.Shape[0] != v.Shape[0]
            || q.Shape[2] != k.Shape[2] || k.Shape[1] != v.Shape[1])
            throw new RnnLabException($"ScaledDotProductAttention: expected Q [S, Tq, d], K [S, Tk, d], V [S, Tk, Dv]; got " +
                                      $"{Tensor.ShapeString(q.Shape)}, {Tensor.ShapeString(k.Shape)}, {Tensor.ShapeString(v.Shape)}");
        double scale = 1 / Math.Sqrt(q.Shape[2]);
        var scores = Tensor.MatMul(q, k, transposeB: true) * scale;                   // [S, Tq, Tk]: q·k / √d
        var weights = allowed is null ? scores.Softmax() : scores.MaskedSoftmax(allowed);   // [S, Tq, Tk], rows sum to 1
        return new AttentionOutput(Tensor.MatMul(weights, v), weights);               // [S, Tq, Dv]: Σ_j α_ij v_j
    }
}
