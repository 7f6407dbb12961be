using System.Diagnostics;
using RnnLab.Autodiff;
using RnnLab.Training;

namespace RnnLab.Nn;

/// <summary>Settings for <see cref="MemoryLesson"/>; the defaults train in seconds.</summary>
public sealed record MemoryOptions
{
    /// <summary>Sentences per story (memory slots).</summary>
    public int Sentences { get; init; } = 10;
    public int EmbeddingSize { get; init; } = 20;
    public int Hops { get; init; } = 2;

    /// <summary>Hidden size of the LSTM baseline.</summary>
    public int LstmHiddenSize { get; init; } = 32;
    public int TrainingSteps { get; init; } = 300;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 0.01;
    public int EvalSize { get; init; } = 500;
    public ulong Seed { get; init; } = 1;
}

/// <summary>A trained model's held-out accuracy, its losses, and how long training took.</summary>
public sealed record MemoryTrainingResult<TModel>(TModel Model, double Accuracy, IReadOnlyList<double> Losses, TimeSpan Elapsed);

/// <summary>One row of <see cref="MemoryLesson.Compare"/>: story length against accuracy of the memory network and the LSTM.</summary>
public sealed record MemoryComparison(int Sentences, double MemoryNetworkAccuracy, double LstmAccuracy, double ChanceAccuracy,
                                      TimeSpan MemoryNetworkTime, TimeSpan LstmTime);

/// <summary>
/// The LSTM baseline for <see cref="StoryTask"/>: reads every word of the story and then the question, one step per
/// word, and answers from its last hidden state. Everything it needs must survive in h and c until the end.
/// </summary>
public sealed class StoryLstm : Module
{
    private readonly Embedding _embedding;
    private readonly Lstm _rnn;
    private readonly Linear _head;

    public StoryLstm(int vocabulary, int embeddingSize, int hiddenSize, int answers, Rng rng)
    {
        _embedding = RegisterModule("embedding", new Embedding(vocabulary, embeddingSize, rng));
        _rnn = RegisterModule("rnn", new Lstm(embeddingSize, hiddenSize, rng));
        _rnn.InitForgetGateBias(1.0);
        _head = RegisterModule("head", new Linear(hiddenSize, answers, rng));
    }

    /// <summary>Word indices [T, B] (index t·B + b) → answer scores [B, answers].</summary>
    public Tensor Forward(int[] words, int steps)
    {
        var run = _rnn.Forward(_embedding.Forward(words).Reshape(steps, words.Length / steps, -1));   // [T, B, H]
        return _head.Forward(run.HN.Select(0, 0));                                                       // [B, answers]
    }
}

/// <summary>
/// External memory against recurrence on bAbI-style stories: trains a <see cref="MemoryNetwork"/> and a
/// <see cref="StoryLstm"/> on the same stories and budget, and records the memory network's read and write weightings.
/// </summary>
public static class MemoryLesson
{
    private static int V => StoryTask.Words.Length;
    private static int Answers => StoryTask.Places.Length;

    /// <summary>Stories as bags of words for the memory network: sentences [B·N, V], questions [B, V], answers [B].</summary>
    public static (Tensor Sentences, Tensor Questions, int[] Answers) Bags(IReadOnlyList<Story> stories)
    {
        ArgumentNullException.ThrowIfNull(stories);
        int n = stories[0].Sentences.Length;
        var sentences = Tensor.Zeros(stories.Count * n, V);
        var questions = Tensor.Zeros(stories.Count, V);
        for (int b = 0; b < stories.Count; b++)
        {
            for (int i = 0; i < n; i++)
                foreach (var w in stories[b].Sentences[i].Split(' ')) sentences.Data[(b * n + i) * V + StoryTask.WordIndex(w)] += 1;
            foreach (var w in stories[b].Question.Split(' ')) questions.Data[b * V + StoryTask.WordIndex(w)] += 1;
        }
        return (sentences, questions, stories.Select(s => StoryTask.AnswerIndex(s.Answer)).ToArray());
    }

    /// <summary>Stories as word sequences for the LSTM: [T, B] with T = 5·N + 3 (every story has the same length).</summary>
    public static (int[] Words, int Steps) Sequences(IReadOnlyList<Story> stories)
    {
        ArgumentNullException.ThrowIfNull(stories);
        var texts = stories.Select(s => string.Join(' ', s.Sentences.Append(s.Question)).Split(' ')).ToArray();
        int steps = texts[0].Length, batch = stories.Count;
        var words = new int[steps * batch];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++) words[t * batch + b] = StoryTask.WordIndex(texts[b][t]);
        return (words, steps);
    }

    public static MemoryTrainingResult<MemoryNetwork> TrainMemoryNetwork(MemoryOptions? options = null, IProgress<(int Step, double Loss)>? progress = null)
    {
        options ??= new MemoryOptions();
        var rng = new Rng(options.Seed);
        var model = new MemoryNetwork(V, Answers, options.Sentences, options.EmbeddingSize, options.Hops, rng.Fork());
        return Fit(options, rng, model, stories =>
        {
            var (s, q, a) = Bags(stories);
            return (model.Forward(s, q).Logits, a);
        }, progress);
    }

    public static MemoryTrainingResult<StoryLstm> TrainLstm(MemoryOptions? options = null, IProgress<(int Step, double Loss)>? progress = null)
    {
        options ??= new MemoryOptions();
        var rng = new Rng(options.Seed);
        var model = new StoryLstm(V, options.EmbeddingSize, options.LstmHiddenSize, Answers, rng.Fork());
        return Fit(options, rng, model, stories =>
        {
            var (words, steps) = Sequences(stories);
            return (model.Forward(words, steps), stories.Select(s => StoryTask.AnswerIndex(s.Answer)).ToArray());
        }, progress);
    }

    // Adam on fresh stories each step, through the trainer's update step (clip the gradient norm at 5, stop on NaN);
    // held-out accuracy on EvalSize stories drawn from a separate stream. The models are not sequence models
    // (IRecurrentModel: the memory network reads bags of words, the LSTM answers once at the end), so Trainer.Fit's
    // batches do not fit them; Trainer.Update is the same update it makes.
    private static MemoryTrainingResult<TModel> Fit<TModel>(MemoryOptions options, Rng rng, TModel model,
        Func<IReadOnlyList<Story>, (Tensor Logits, int[] Answers)> run, IProgress<(int, double)>? progress) where TModel : Module
    {
        if (options.TrainingSteps < 1 || options.BatchSize < 1 || options.EvalSize < 1)
            throw new RnnLabException("MemoryLesson: TrainingSteps, BatchSize and EvalSize must be positive");
        var task = new StoryTask(options.Sentences);
        var data = rng.Fork();
        var evalRng = rng.Fork();
        var test = Enumerable.Range(0, options.EvalSize).Select(_ => task.Sample(evalRng)).ToArray();
        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        var parameters = model.Parameters().ToList();
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= options.TrainingSteps; step++)
        {
            var stories = Enumerable.Range(0, options.BatchSize).Select(_ => task.Sample(data)).ToArray();
            var (loss, _, failure) = Trainer.Update(optimizer, parameters, () =>
            {
                var (logits, answers) = run(stories);
                return Tensor.CrossEntropy(logits, answers);
            }, step, clipGradNorm: 5);
            if (failure is not null) throw new RnnLabException($"MemoryLesson: {failure}");
            losses.Add(loss);
            progress?.Report((step, loss));
        }
        var elapsed = clock.Elapsed;
        double correct = 0;
        using (Tensor.NoGrad())
            foreach (var chunk in test.Chunk(250))
            {
                var (logits, answers) = run(chunk);
                int a = logits.Shape[1];
                for (int b = 0; b < chunk.Length; b++)
                {
                    int best = 0;
                    for (int k = 1; k < a; k++) if (logits.Data[b * a + k] > logits.Data[b * a + best]) best = k;
                    if (best == answers[b]) correct++;
                }
            }
        return new MemoryTrainingResult<TModel>(model, correct / test.Length, losses, elapsed);
    }

    /// <summary>The write and read weightings of the memory network on one story, for a heatmap.</summary>
    public static MemoryTrace Trace(MemoryNetwork model, Story story)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(story);
        if (story.Sentences.Length != model.Slots)
            throw new RnnLabException($"MemoryLesson.Trace: the model has {model.Slots} slots but the story has {story.Sentences.Length} sentences");
        using var _ = Tensor.NoGrad();
        var (s, q, _) = Bags([story]);
        var output = model.Forward(s, q);
        int n = model.Slots;
        var write = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 1.0 : 0.0).ToArray()).ToArray();
        var read = Enumerable.Range(0, model.Hops).Select(h => output.ReadWeights.Data.AsSpan(h * n, n).ToArray()).ToArray();
        int best = 0;
        for (int k = 1; k < output.Logits.Shape[1]; k++) if (output.Logits.Data[k] > output.Logits.Data[best]) best = k;
        return new MemoryTrace(write, read, story.Sentences, story.Question, StoryTask.Places[best]);
    }

    /// <summary>For each story length, trains both models on the same budget and compares held-out accuracy.</summary>
    public static IReadOnlyList<MemoryComparison> Compare(MemoryOptions options, IReadOnlyList<int> sentenceCounts, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sentenceCounts);
        var rows = new List<MemoryComparison>();
        foreach (int n in sentenceCounts)
        {
            var o = options with { Sentences = n };
            var memory = TrainMemoryNetwork(o);
            var lstm = TrainLstm(o);
            var row = new MemoryComparison(n, memory.Accuracy, lstm.Accuracy, 1.0 / Answers, memory.Elapsed, lstm.Elapsed);
            progress?.Report($"{n} sentences: memory network {row.MemoryNetworkAccuracy:P1} ({memory.Elapsed.TotalSeconds:F1} s), LSTM {row.LstmAccuracy:P1} ({lstm.Elapsed.TotalSeconds:F1} s)");
            rows.Add(row);
        }
        return rows;
    }
}
