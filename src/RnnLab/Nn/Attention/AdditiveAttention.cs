using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Additive ("concat") attention of Bahdanau, Cho &amp; Bengio (2014): e_j = vᵀ tanh(W s + U h_j + b), a one-hidden-layer
/// network that scores how well decoder state s matches encoder output h_j. Parameters: <c>query_proj.weight</c> W
/// [A, Dq], <c>key_proj.weight</c> U [A, Dk] and <c>key_proj.bias</c> b [A], <c>v.weight</c> [1, A].
/// U h_j + b is computed once per sequence (<see cref="Attention.Prepare"/>).
/// </summary>
public sealed class AdditiveAttention : Attention
{
    public int AttentionSize { get; }
    private readonly Linear _queryProj, _keyProj, _v;

    public AdditiveAttention(int querySize, int keySize, int attentionSize, Rng rng) : base("AdditiveAttention", querySize, keySize)
    {
        if (attentionSize < 1) throw new RnnLabException($"AdditiveAttention: attentionSize must be positive, got {attentionSize}");
        AttentionSize = attentionSize;
        _queryProj = RegisterModule("query_proj", new Linear(querySize, attentionSize, rng, bias: false));
        _keyProj = RegisterModule("key_proj", new Linear(keySize, attentionSize, rng));
        _v = RegisterModule("v", new Linear(attentionSize, 1, rng, bias: false));
    }

    protected override Tensor Project(Tensor keys) => _keyProj.Forward(keys);      // [B, T, A]: U h_j + b

    protected override Tensor Scores(Tensor query, AttentionKeys keys)
    {
        int batch = query.Shape[0], steps = keys.Values.Shape[1];
        var ws = _queryProj.Forward(query).Reshape(batch, 1, AttentionSize);          // [B, 1, A]: W s
        var hidden = (keys.Projected + ws).Tanh();                                    // [B, T, A]: tanh(W s + U h_j + b)
        return _v.Forward(hidden).Reshape(batch, 1, steps);                           // [B, 1, T]: vᵀ tanh(...)
    }
}
