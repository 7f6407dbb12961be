using System.Diagnostics;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Training;

namespace RnnLab.Nn;

/// <summary>Sizes and budget for <see cref="SelfAttentionVsRecurrence"/>; the defaults give two models of about 37k parameters.</summary>
public sealed record CharModelOptions
{
    public int ModelDim { get; init; } = 48;
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 1;
    public int FeedForwardDim { get; init; } = 192;
    public int LstmHiddenSize { get; init; } = 64;
    public int Steps { get; init; } = 64;
    public int BatchSize { get; init; } = 16;
    public int TrainingSteps { get; init; } = 100;
    public double LearningRate { get; init; } = 3e-3;
    public ulong Seed { get; init; } = 1;
}

/// <summary>One model's training on the shared text: size, wall time, and losses (nats per character).</summary>
public sealed record CharModelRun(string Model, long Parameters, TimeSpan TrainingTime, double FinalTrainLoss, double ValidationLoss,
                                  IReadOnlyList<double> Losses);

/// <summary>For a sequence length T: how many steps must run one after another, and the measured forward time of each model.</summary>
public sealed record ParallelismRow(int T, int TransformerSequentialSteps, int LstmSequentialSteps, double TransformerMilliseconds, double LstmMilliseconds);

/// <summary>
/// Self-attention against recurrence, made concrete. An LSTM must compute h_t before h_{t+1}: T·L steps in sequence
/// for L layers, however many cores there are. A transformer layer computes all T positions with a few matrix
/// products (Q Kᵀ is one product over every pair), so its chain of dependent steps is L long, independent of T —
/// at the price of T² attention scores.
/// </summary>
public static class SelfAttentionVsRecurrence
{
    /// <summary>Dependent steps of an L-layer transformer over T positions: one per layer.</summary>
    public static int TransformerSequentialSteps(int layers, int steps) { Check(layers, steps); return layers; }

    /// <summary>Dependent steps of an L-layer LSTM over T positions: every layer walks through time.</summary>
    public static int LstmSequentialSteps(int layers, int steps) => Check(layers, steps) * layers;

    private static int Check(int layers, int steps) =>
        layers >= 1 && steps >= 1 ? steps : throw new RnnLabException($"SelfAttentionVsRecurrence: layers and steps must be positive, got {layers} and {steps}");

    public static TinyTransformer Transformer(int vocabulary, CharModelOptions o, Rng rng) => new(vocabulary, o.ModelDim, o.Heads, o.Layers, o.FeedForwardDim, rng);

    public static SequenceModel Lstm(int vocabulary, CharModelOptions o, Rng rng) => new(RecurrentKind.Lstm, vocabulary, o.LstmHiddenSize, vocabulary, rng, o.Layers);

    /// <summary>Trains both models on the same text with the same batches and budget; validation loss on <paramref name="validation"/>.</summary>
    public static (CharModelRun Transformer, CharModelRun Lstm) Train(int[] train, int[] validation, int vocabulary, CharModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= new CharModelOptions();
        if (options.TrainingSteps < 1) throw new RnnLabException($"SelfAttentionVsRecurrence: TrainingSteps must be positive, got {options.TrainingSteps}");
        var rng = new Rng(options.Seed);
        var transformer = Transformer(vocabulary, options, rng.Fork());
        var lstm = Lstm(vocabulary, options, rng.Fork());
        var validBatch = LanguageModelBatches.RandomWindows(validation, options.BatchSize, options.Steps, rng.Fork());
        ulong dataSeed = rng.NextUInt64();
        return (Fit("transformer", transformer, b => TransformerLoss(transformer, b), train, validBatch, options, new Rng(dataSeed)),
                Fit("LSTM", lstm, b => LstmLoss(lstm, b, vocabulary), train, validBatch, options, new Rng(dataSeed)));
    }

    /// <summary>
    /// Forward time (no gradients, median of <paramref name="repeats"/>) of the two models at each sequence length, next to
    /// their counts of sequential steps. Untrained weights: the time does not depend on the values.
    /// </summary>
    public static IReadOnlyList<ParallelismRow> Measure(IReadOnlyList<int> lengths, int vocabulary, CharModelOptions? options = null, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        options ??= new CharModelOptions();
        var rng = new Rng(options.Seed);
        var transformer = Transformer(vocabulary, options, rng.Fork());
        var lstm = Lstm(vocabulary, options, rng.Fork());
        var rows = new List<ParallelismRow>();
        using var _ = Tensor.NoGrad();
        foreach (int t in lengths)
        {
            var tokens = Enumerable.Range(0, t * options.BatchSize).Select(_ => rng.NextInt(vocabulary)).ToArray();
            var batch = new TokenBatch(tokens, tokens, t, options.BatchSize);
            double tf = Median(repeats, () => TransformerLoss(transformer, batch));
            double ls = Median(repeats, () => LstmLoss(lstm, batch, vocabulary));
            rows.Add(new ParallelismRow(t, TransformerSequentialSteps(options.Layers, t), LstmSequentialSteps(options.Layers, t), tf, ls));
        }
        return rows;
    }

    private static double Median(int repeats, Action run)
    {
        var times = new double[Math.Max(1, repeats)];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    // Batches are time-major [T, B]; the transformer reads batch-first [B, T].
    private static Tensor TransformerLoss(TinyTransformer model, TokenBatch batch)
    {
        int steps = batch.Steps, b = batch.BatchSize;
        var inputs = new int[b * steps];
        var targets = new int[b * steps];
        for (int i = 0; i < b; i++)
            for (int t = 0; t < steps; t++) { inputs[i * steps + t] = batch.Input(t, i); targets[i * steps + t] = batch.Target(t, i); }
        var logits = model.Forward(inputs, b, steps).Logits;                              // [B, T, V]
        return Tensor.CrossEntropy(logits.Reshape(b * steps, -1), targets);
    }

    private static Tensor LstmLoss(SequenceModel model, TokenBatch batch, int vocabulary) =>
        SequenceLoss.CrossEntropy(model.Forward(batch.InputOneHot(vocabulary)).Output, batch.Targets);   // [T, B, V]

    // Adam through the trainer's update step (clip the gradient norm at 5, stop on NaN). The transformer is not a sequence
    // model (IRecurrentModel: it reads token ids batch-first), so both models train with the same explicit loop.
    private static CharModelRun Fit(string name, Module model, Func<TokenBatch, Tensor> loss, int[] train, TokenBatch valid,
                                    CharModelOptions options, Rng data)
    {
        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        var parameters = model.Parameters().ToList();
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= options.TrainingSteps; step++)
        {
            var batch = LanguageModelBatches.RandomWindows(train, options.BatchSize, options.Steps, data);
            var (l, _, failure) = Trainer.Update(optimizer, parameters, () => loss(batch), step, clipGradNorm: 5);
            if (failure is not null) throw new RnnLabException($"SelfAttentionVsRecurrence ({name}): {failure}");
            losses.Add(l);
        }
        var elapsed = clock.Elapsed;
        double validLoss;
        using (Tensor.NoGrad()) validLoss = loss(valid).Item();
        return new CharModelRun(name, model.ParameterCount(), elapsed, losses[^1], validLoss, losses);
    }
}
