using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>Teacher-forced decoding: logits [T, B, V] for every target step, and the attention weights [B, T, S] (null without attention).</summary>
public sealed record Seq2SeqOutput(Tensor Logits, Tensor? Attention);

/// <summary>Greedy decoding of a batch: the emitted token indices per example (up to and excluding the end token) and attention maps.</summary>
public sealed record GreedyDecoding(int[][] Tokens, IReadOnlyList<AttentionMap>? Attention);

/// <summary>
/// A GRU encoder–decoder (Cho et al. 2014; Sutskever et al. 2014) with optional attention (Bahdanau et al. 2014;
/// Luong et al. 2015). One decoder step, from state s_{t−1} and previous token y_{t−1}:
/// <code>
/// c_t = Σ_j α_tj h_j, α_t = softmax_j score(s_{t−1}, h_j)     (with attention)
/// c_t = summary of the source                                 (without: the same vector every step)
/// s_t = GRU([embed(y_{t−1}); c_t], s_{t−1})
/// logits_t = out([s_t; c_t])
/// </code>
/// and s_0 = tanh(bridge(summary)). Training feeds the true previous token (teacher forcing);
/// <see cref="Greedy"/> feeds back its own most likely token.
/// </summary>
public sealed class Seq2SeqModel : Module
{
    public Seq2SeqConfig Config { get; }
    public Seq2SeqEncoder Encoder { get; }
    public Attention? Attention { get; }
    private readonly Linear _bridge, _out;
    private readonly Embedding _targetEmbedding;
    private readonly GruCell _decoderCell;

    public Seq2SeqModel(Seq2SeqConfig config, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        Config = config;
        int k = config.ContextSize;
        Encoder = RegisterModule("encoder", new Seq2SeqEncoder(config, rng));
        _bridge = RegisterModule("bridge", new Linear(k, k, rng));
        _targetEmbedding = RegisterModule("target_embedding", new Embedding(config.TargetVocabulary, config.EmbeddingSize, rng));
        _decoderCell = RegisterModule("decoder", new GruCell(config.EmbeddingSize + k, k, rng));
        Attention = config.Attention switch
        {
            AttentionKind.None => null,
            AttentionKind.Additive => new AdditiveAttention(k, k, config.AttentionSize, rng),
            AttentionKind.Dot => new DotAttention(k),
            AttentionKind.General => new GeneralAttention(k, k, rng),
            AttentionKind.ScaledDot => new ScaledDotAttention(k),
            _ => throw new RnnLabException($"Seq2SeqModel: unknown attention kind {config.Attention}"),
        };
        if (Attention is not null) RegisterModule("attention", Attention);
        _out = RegisterModule("out", new Linear(2 * k, config.TargetVocabulary, rng));
    }

    /// <summary>
    /// Teacher forcing: source [S, B] with lengths [B], decoder inputs [T, B] (start token, then the target shifted) →
    /// logits [T, B, V] to compare with the targets.
    /// </summary>
    public Seq2SeqOutput Forward(int[] source, int[] lengths, int sourceSteps, int[] decoderInputs, int targetSteps)
    {
        ArgumentNullException.ThrowIfNull(decoderInputs);
        int batch = lengths.Length;
        if (decoderInputs.Length != targetSteps * batch)
            throw new RnnLabException($"Seq2SeqModel: {decoderInputs.Length} decoder inputs do not fill [T, B] = [{targetSteps}, {batch}]");
        var decoder = Start(source, lengths, sourceSteps);
        var logits = new Tensor[targetSteps];
        var weights = new Tensor?[targetSteps];
        for (int t = 0; t < targetSteps; t++)
            (logits[t], weights[t]) = decoder.Step(decoderInputs.AsSpan(t * batch, batch).ToArray());
        return new Seq2SeqOutput(Tensor.Stack(logits, axis: 0),                       // [T, B, V]
                                 Attention is null ? null : Tensor.Stack(weights.Select(w => w!).ToArray(), axis: 1));   // [B, T, S]
    }

    /// <summary>
    /// Greedy decoding: starts from <paramref name="startToken"/>, feeds back the argmax for at most
    /// <paramref name="maxSteps"/> steps, and cuts each output at <paramref name="endToken"/>. Records nothing on the tape.
    /// </summary>
    public GreedyDecoding Greedy(int[] source, int[] lengths, int sourceSteps, int startToken, int endToken, int maxSteps)
    {
        if (maxSteps < 1) throw new RnnLabException($"Seq2SeqModel.Greedy: maxSteps must be positive, got {maxSteps}");
        using var _ = Tensor.NoGrad();
        int batch = lengths.Length, v = Config.TargetVocabulary;
        var decoder = Start(source, lengths, sourceSteps);
        var previous = Enumerable.Repeat(startToken, batch).ToArray();
        var emitted = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var done = new bool[batch];
        var weightRows = new List<double[]>();                                        // per step: [B, S]
        for (int t = 0; t < maxSteps && !done.All(d => d); t++)
        {
            var (logits, weights) = decoder.Step(previous);                           // [B, V]
            if (weights is not null) weightRows.Add(weights.ToArray());
            for (int b = 0; b < batch; b++)
            {
                int best = 0;
                for (int c = 1; c < v; c++) if (logits.Data[b * v + c] > logits.Data[b * v + best]) best = c;
                previous[b] = best;
                if (done[b]) continue;
                if (best == endToken) done[b] = true; else emitted[b].Add(best);
            }
        }
        IReadOnlyList<AttentionMap>? maps = null;
        if (Attention is not null)
            maps = Enumerable.Range(0, batch).Select(b => new AttentionMap($"example {b}",
                Enumerable.Range(0, emitted[b].Count + (done[b] ? 1 : 0)).Select(t => weightRows[t].AsSpan(b * sourceSteps, lengths[b]).ToArray()).ToArray())).ToList();
        return new GreedyDecoding(emitted.Select(e => e.ToArray()).ToArray(), maps);
    }

    private DecoderRun Start(int[] source, int[] lengths, int sourceSteps)
    {
        var encoded = Encoder.Forward(source, lengths, sourceSteps);
        return new DecoderRun(this, encoded, Attention?.Prepare(encoded.Outputs), _bridge.Forward(encoded.Summary).Tanh());
    }

    // The decoder's running state over one batch.
    private sealed class DecoderRun(Seq2SeqModel model, EncodedSource encoded, AttentionKeys? keys, Tensor state)
    {
        private readonly AttentionMask _mask = encoded.Mask;

        /// <summary>One step from the previous tokens [B] → logits [B, V] and attention weights [B, S] (or null).</summary>
        public (Tensor Logits, Tensor? Weights) Step(int[] previous)
        {
            Tensor context;
            Tensor? weights = null;
            if (model.Attention is null) context = encoded.Summary;                  // [B, K]: the same every step
            else (context, weights) = model.Attention.Forward(state, keys!, _mask);   // [B, K], [B, S]
            var input = Tensor.Concat([model._targetEmbedding.Forward(previous), context], axis: 1);   // [B, E + K]
            state = model._decoderCell.Step(input, state).H;                         // [B, K]: s_t
            return (model._out.Forward(Tensor.Concat([state, context], axis: 1)), weights);   // [B, V]
        }
    }
}
