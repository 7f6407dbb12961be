using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// What a memory network did for one example, as plain data for plots: <c>Write[i][slot]</c> (sentence i is written
/// to slot i: a one-hot row), <c>Read[hop][slot]</c> (the attention over memory at each hop; rows sum to 1), and the
/// sentences as labels.
/// </summary>
public sealed record MemoryTrace(double[][] Write, double[][] Read, IReadOnlyList<string> Slots, string Question, string Answer);

/// <summary>The answer scores [B, places] and the read weightings [B, hops, slots].</summary>
public sealed record MemoryNetworkOutput(Tensor Logits, Tensor ReadWeights);

/// <summary>
/// End-to-end memory network (Sukhbaatar, Szlam, Weston &amp; Fergus 2015) with layer-wise (recurrent) weight tying.
/// Each sentence x_i is WRITTEN to its own memory slot twice, as a key m_i and as a value c_i (bags of word embeddings
/// plus a learnt embedding T of the slot, i.e. of when it was written, so "the most recent" is learnable):
/// <code>
/// m_i = Σ_j A x_ij + T_A[i]      c_i = Σ_j C x_ij + T_C[i]      u¹ = Σ_j B q_j
/// p^k = softmax_i(u^kᵀ m_i)       (the READ weighting: content-based addressing)
/// o^k = Σ_i p^k_i c_i              u^{k+1} = H u^k + o^k
/// answer = softmax(W u^{K+1})
/// </code>
/// Parameters: <c>A.weight</c>, <c>B.weight</c>, <c>C.weight</c> [V, d], <c>T_A</c>, <c>T_C</c> [slots, d], <c>H.weight</c> [d, d], <c>W.weight</c> [answers, d].
/// </summary>
public sealed class MemoryNetwork : Module
{
    public int Slots { get; }
    public int Hops { get; }
    public int EmbeddingSize { get; }
    private readonly Embedding _a, _b, _c;
    private readonly Tensor _tA, _tC;
    private readonly Linear _h, _w;

    public MemoryNetwork(int vocabulary, int answers, int slots, int embeddingSize, int hops, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (slots < 1 || hops < 1 || embeddingSize < 1)
            throw new RnnLabException($"MemoryNetwork: slots, hops and embeddingSize must be positive, got {slots}, {hops}, {embeddingSize}");
        Slots = slots; Hops = hops; EmbeddingSize = embeddingSize;
        _a = RegisterModule("A", new Embedding(vocabulary, embeddingSize, rng));
        _b = RegisterModule("B", new Embedding(vocabulary, embeddingSize, rng));
        _c = RegisterModule("C", new Embedding(vocabulary, embeddingSize, rng));
        _tA = RegisterParameter("T_A", Tensor.Zeros(slots, embeddingSize));
        _tC = RegisterParameter("T_C", Tensor.Zeros(slots, embeddingSize));
        _h = RegisterModule("H", new Linear(embeddingSize, embeddingSize, rng, bias: false));
        _w = RegisterModule("W", new Linear(embeddingSize, answers, rng, bias: false));
        foreach (var p in Parameters()) for (int i = 0; i < p.Size; i++) p.Data[i] = rng.Normal(0, 0.1);   // the paper's N(0, 0.1²)
    }

    /// <summary>
    /// Stories as word-count bags [B·slots, V] (row b·slots + i is sentence i of story b) and questions [B, V] →
    /// answer scores [B, answers] and read weightings [B, hops, slots].
    /// </summary>
    public MemoryNetworkOutput Forward(Tensor sentenceBags, Tensor questionBags)
    {
        ArgumentNullException.ThrowIfNull(sentenceBags);
        ArgumentNullException.ThrowIfNull(questionBags);
        int v = _a.NumEmbeddings, d = EmbeddingSize;
        if (questionBags.Rank != 2 || questionBags.Shape[1] != v || sentenceBags.Rank != 2 || sentenceBags.Shape[1] != v
            || sentenceBags.Shape[0] != questionBags.Shape[0] * Slots)
            throw new RnnLabException($"MemoryNetwork: expected sentence bags [B·{Slots}, {v}] and question bags [B, {v}], got " +
                                      $"{Tensor.ShapeString(sentenceBags.Shape)} and {Tensor.ShapeString(questionBags.Shape)}");
        int batch = questionBags.Shape[0];
        var m = Tensor.MatMul(sentenceBags, _a.Weight).Reshape(batch, Slots, d) + _tA;   // [B, N, d]: keys   m_i = Σ_j A x_ij + T_A[i]
        var c = Tensor.MatMul(sentenceBags, _c.Weight).Reshape(batch, Slots, d) + _tC;   // [B, N, d]: values c_i
        var u = Tensor.MatMul(questionBags, _b.Weight);                                  // [B, d]: u¹ = Σ_j B q_j
        var reads = new List<Tensor>();
        for (int hop = 0; hop < Hops; hop++)
        {
            var scores = Tensor.MatMul(u.Reshape(batch, 1, d), m, transposeB: true);    // [B, 1, N]: u ᵀ m_i
            var p = scores.Softmax();                                                    // [B, 1, N]: read weighting
            var o = Tensor.MatMul(p, c).Reshape(batch, d);                               // [B, d]: o = Σ_i p_i c_i
            u = _h.Forward(u) + o;                                                       // u^{k+1} = H u^k + o^k
            reads.Add(p);
        }
        return new MemoryNetworkOutput(_w.Forward(u), Tensor.Concat(reads, axis: 1));   // [B, answers], [B, hops, N]
    }
}
