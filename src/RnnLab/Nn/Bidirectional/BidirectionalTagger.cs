using System.Diagnostics;
using RnnLab.Autodiff;
using RnnLab.Training;

namespace RnnLab.Nn;

/// <summary>
/// A per-position tagger: embedding, a GRU (forward only, or bidirectional), and a linear read-out at every step.
/// Bidirectional, position t's features are [→h_t ; ←h_t]: ←h_t has read x_{T−1} … x_t, the future.
/// Parameters: <c>embedding.weight</c>, <c>rnn.*</c> (PyTorch GRU names), <c>head.*</c>.
/// </summary>
public sealed class BidirectionalTagger : Module
{
    public Embedding Embedding { get; }
    public Gru Rnn { get; }
    public Linear Head { get; }

    public BidirectionalTagger(int vocabulary, int embeddingSize, int hiddenSize, int tags, bool bidirectional, Rng rng)
    {
        Embedding = RegisterModule("embedding", new Embedding(vocabulary, embeddingSize, rng));
        Rnn = RegisterModule("rnn", new Gru(embeddingSize, hiddenSize, rng, bidirectional: bidirectional));
        Head = RegisterModule("head", new Linear(hiddenSize * (bidirectional ? 2 : 1), tags, rng));
    }

    /// <summary>Token indices [T, B] (index t·B + b) → tag scores [T, B, tags], and the GRU run (forward and backward states per token).</summary>
    public (Tensor Logits, SequenceOutput<GruStep> Rnn) Forward(int[] tokens, int steps)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (steps < 1 || tokens.Length % steps != 0)
            throw new RnnLabException($"BidirectionalTagger: {tokens.Length} tokens do not fill [T, B] with T = {steps}");
        var run = Rnn.Forward(Embedding.Forward(tokens).Reshape(steps, tokens.Length / steps, -1));   // [T, B, D·H]
        return (Head.Forward(run.Output), run);                                                        // [T, B, tags]
    }
}

/// <summary>Settings for <see cref="BidirectionalLesson.Train"/>.</summary>
public sealed record TaggerOptions
{
    public bool Bidirectional { get; init; } = true;
    public int Steps { get; init; } = 12;
    public int HiddenSize { get; init; } = 16;
    public int EmbeddingSize { get; init; } = 8;
    public int BatchSize { get; init; } = 32;
    public int TrainingSteps { get; init; } = 150;
    public double LearningRate { get; init; } = 0.01;
    public int EvalSize { get; init; } = 500;
    public ulong Seed { get; init; } = 1;
}

/// <summary>The trained tagger, its per-position accuracy on fresh sequences, the best a forward-only reader could do, and timing.</summary>
public sealed record TaggerResult(BidirectionalTagger Model, TaggerOptions Options, double Accuracy, double BestForwardAccuracy,
                                  IReadOnlyList<double> Losses, TimeSpan Elapsed);

/// <summary>Trains <see cref="BidirectionalTagger"/> on <see cref="FutureMarkerTask"/>: bidirectional succeeds, forward cannot.</summary>
public static class BidirectionalLesson
{
    public static TaggerResult Train(TaggerOptions? options = null, IProgress<(int Step, double Loss)>? progress = null)
    {
        options ??= new TaggerOptions();
        if (options.TrainingSteps < 1 || options.BatchSize < 1 || options.EvalSize < 1)
            throw new RnnLabException("BidirectionalLesson: TrainingSteps, BatchSize and EvalSize must be positive");
        var task = new FutureMarkerTask(options.Steps);
        var rng = new Rng(options.Seed);
        var model = new BidirectionalTagger(FutureMarkerTask.VocabularySize, options.EmbeddingSize, options.HiddenSize, 2, options.Bidirectional, rng.Fork());
        var data = rng.Fork();
        var test = task.Sample(options.EvalSize, rng.Fork());
        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= options.TrainingSteps; step++)
        {
            var batch = task.Sample(options.BatchSize, data);
            optimizer.ZeroGrad();
            var loss = SequenceLoss.CrossEntropy(model.Forward(batch.Inputs, task.Steps).Logits, batch.Targets);
            loss.Backward();
            GradClip.ClipGradNorm(model.Parameters(), 5);
            optimizer.Step();
            losses.Add(loss.Item());
            progress?.Report((step, loss.Item()));
        }
        return new TaggerResult(model, options, Accuracy(model, test), task.BestForwardAccuracy(), losses, clock.Elapsed);
    }

    /// <summary>The fraction of positions tagged correctly (argmax of the scores).</summary>
    public static double Accuracy(BidirectionalTagger model, Data.TokenBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        using var _ = Tensor.NoGrad();
        var logits = model.Forward(batch.Inputs, batch.Steps).Logits;                 // [T, B, 2]
        int correct = 0;
        for (int i = 0; i < batch.Targets.Length; i++)
            if ((logits.Data[2 * i + 1] > logits.Data[2 * i] ? 1 : 0) == batch.Targets[i]) correct++;
        return correct / (double)batch.Targets.Length;
    }
}
