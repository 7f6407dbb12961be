using System.Diagnostics;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Data.Tasks;
using RnnLab.Training;

namespace RnnLab.Nn;

/// <summary>Settings for <see cref="DateTranslationTrainer.Train"/>; the defaults reach ≥ 95% on held-out dates with attention.</summary>
public sealed record DateTrainingOptions
{
    public AttentionKind Attention { get; init; } = AttentionKind.Additive;
    public int EmbeddingSize { get; init; } = 12;
    public int HiddenSize { get; init; } = 32;
    public bool Bidirectional { get; init; } = true;

    /// <summary>Upper limit on optimiser steps (each on a fresh batch of training dates).</summary>
    public int MaxSteps { get; init; } = 3000;

    /// <summary>Optional wall-clock limit (results then depend on machine speed; leave null for exact reproducibility).</summary>
    public TimeSpan? TimeBudget { get; init; }

    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 0.01;
    public double ClipGradNorm { get; init; } = 5;

    /// <summary>Measure held-out exact-match accuracy every this many steps.</summary>
    public int EvalEvery { get; init; } = 100;
    public int EvalSize { get; init; } = 500;

    /// <summary>Stop as soon as held-out accuracy reaches this (null: run all steps).</summary>
    public double? TargetAccuracy { get; init; } = 0.95;

    /// <summary>Random words around each date (longer inputs), for comparing models as inputs grow; combines with <see cref="Formats"/>.</summary>
    public int FillerWords { get; init; }

    /// <summary>Only these formats (names from <see cref="DateTranslation.Formats"/>, e.g. "dd/MM/yy" for short inputs); null: all of them.</summary>
    public IReadOnlyList<string>? Formats { get; init; }

    public ulong Seed { get; init; } = 1;
}

/// <summary>One progress report: step, training loss, time since the start, and held-out accuracy when it was measured.</summary>
public sealed record DateTrainingProgress(int Step, double Loss, TimeSpan Elapsed, double? HeldOutAccuracy);

/// <summary>A trained model, how long it took (steps and wall time), its final held-out exact-match accuracy, and the history.</summary>
public sealed record DateTrainingResult(Seq2SeqModel Model, DateTrainingOptions Options, int Steps, TimeSpan Elapsed,
                                        double HeldOutAccuracy, IReadOnlyList<DateTrainingProgress> History);

/// <summary>
/// One row of <see cref="DateTranslationTrainer.CompareAttention"/>: input length against held-out accuracy with and without
/// attention, as exact match (all 10 characters right) and as character accuracy (the fraction of the 10 positions right).
/// </summary>
public sealed record AttentionComparison(int FillerWords, double MeanSourceLength, double AccuracyWithAttention, double AccuracyWithoutAttention,
                                         int Steps, double CharacterAccuracyWithAttention, double CharacterAccuracyWithoutAttention);

/// <summary>A translated date: the model's output, and (with attention) where it looked for each output character.</summary>
public sealed record DateTranslationExample(string Source, string Output, string Expected, AttentionMap? Attention)
{
    public bool Correct => Output == Expected;
}

/// <summary>
/// Trains a <see cref="Seq2SeqModel"/> on date-format translation (<see cref="DateTranslation"/>: "3rd of March 1998" →
/// "1998-03-03") with teacher forcing, Adam and gradient clipping, on fresh random training dates each step, and
/// measures exact-match accuracy of greedy decoding on held-out dates (days never seen in training).
/// </summary>
public static class DateTranslationTrainer
{
    private const int TargetSteps = 11;   // "yyyy-mm-dd" + end symbol

    public static Seq2SeqConfig Config(DateTrainingOptions options) =>
        new(DateTranslation.SourceVocabulary.Size, DateTranslation.TargetVocabulary.Size)
        {
            EmbeddingSize = options.EmbeddingSize, HiddenSize = options.HiddenSize, Bidirectional = options.Bidirectional,
            Attention = options.Attention, AttentionSize = options.HiddenSize,
        };

    public static DateTrainingResult Train(DateTrainingOptions? options = null, IProgress<DateTrainingProgress>? progress = null)
    {
        options ??= new DateTrainingOptions();
        if (options.MaxSteps < 1 || options.BatchSize < 1 || options.EvalEvery < 1 || options.EvalSize < 1)
            throw new RnnLabException($"DateTranslationTrainer: MaxSteps, BatchSize, EvalEvery and EvalSize must be positive, got {options.MaxSteps}, {options.BatchSize}, {options.EvalEvery}, {options.EvalSize}");
        if (options.Formats is { Count: 0 }) throw new RnnLabException("DateTranslationTrainer: Formats is empty; give at least one format name or null for all");
        foreach (var f in options.Formats ?? [])
            if (!DateTranslation.Formats.Contains(f))
                throw new RnnLabException($"DateTranslationTrainer: unknown format '{f}'; the formats are: {string.Join(" | ", DateTranslation.Formats)}");
        var rng = new Rng(options.Seed);
        var model = new Seq2SeqModel(Config(options), rng.Fork());
        var data = rng.Fork();
        var heldOut = Pairs(options, options.EvalSize, rng.Fork(), heldOut: true);
        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        var history = new List<DateTrainingProgress>();
        var clock = Stopwatch.StartNew();
        double accuracy = 0;
        int step = 0;
        while (step < options.MaxSteps)
        {
            step++;
            var batch = DateTranslation.Encode(Pairs(options, options.BatchSize, data, heldOut: false));
            optimizer.ZeroGrad();
            var output = model.Forward(batch.Source.Indices, batch.Source.Lengths, batch.Source.Steps, batch.Decoder.Inputs, TargetSteps);
            var loss = SequenceLoss.CrossEntropy(output.Logits, batch.Decoder.Targets);   // teacher forcing: next character at every step
            loss.Backward();
            GradClip.ClipGradNorm(model.Parameters(), options.ClipGradNorm);
            optimizer.Step();

            bool outOfTime = options.TimeBudget is TimeSpan budget && clock.Elapsed >= budget;
            bool evaluate = step % options.EvalEvery == 0 || step == options.MaxSteps || outOfTime;
            double? measured = evaluate ? accuracy = Accuracy(model, heldOut) : null;
            var report = new DateTrainingProgress(step, loss.Item(), clock.Elapsed, measured);
            history.Add(report);
            progress?.Report(report);
            if (outOfTime || (measured >= options.TargetAccuracy)) break;
        }
        return new DateTrainingResult(model, options, step, clock.Elapsed, accuracy, history);
    }

    /// <summary>Random pairs as the options ask: all formats or only the chosen ones, with <see cref="DateTrainingOptions.FillerWords"/> words around each date.</summary>
    public static DatePair[] Pairs(DateTrainingOptions options, int count, Rng rng, bool heldOut)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Formats is null) return DateTranslation.Generate(count, rng, heldOut, options.FillerWords);
        return DateTranslation.Generate(count, rng, heldOut).Select(p =>
        {
            string format = options.Formats[rng.NextInt(options.Formats.Count)];
            string source = DateTranslation.WithFiller(DateTranslation.Format(p.Date, format), options.FillerWords, rng);
            return new DatePair(source, p.Target, p.Date, format);
        }).ToArray();
    }

    /// <summary>Exact-match accuracy of greedy decoding: the fraction of pairs whose whole output equals the ISO date.</summary>
    public static double Accuracy(Seq2SeqModel model, IReadOnlyList<DatePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return Translate(model, pairs).Count(e => e.Correct) / (double)pairs.Count;
    }

    /// <summary>
    /// Character accuracy of greedy decoding: the fraction of the 10 output positions (yyyy-mm-dd) that hold the right
    /// character, averaged over the pairs; a missing character counts as wrong. Compare with <see cref="DateTranslation.Baseline"/>.
    /// </summary>
    public static double CharacterAccuracy(Seq2SeqModel model, IReadOnlyList<DatePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return Translate(model, pairs).Average(e =>
            Enumerable.Range(0, e.Expected.Length).Count(i => i < e.Output.Length && e.Output[i] == e.Expected[i]) / (double)e.Expected.Length);
    }

    /// <summary>Translates pairs by greedy decoding (batches of 250), with the attention map of each.</summary>
    public static IReadOnlyList<DateTranslationExample> Translate(Seq2SeqModel model, IReadOnlyList<DatePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pairs);
        var vocab = DateTranslation.TargetVocabulary;
        int start = vocab.IndexOf(DateTranslation.StartSymbol), end = vocab.IndexOf(DateTranslation.EndSymbol);
        var examples = new List<DateTranslationExample>();
        foreach (var chunk in pairs.Chunk(250))
        {
            var source = Batching.Pad(chunk.Select(p => DateTranslation.SourceVocabulary.Encode(p.Source)).ToArray(), padIndex: 0);   // [S, B]
            var decoded = model.Greedy(source.Indices, source.Lengths, source.Steps, start, end, TargetSteps + 2);
            for (int b = 0; b < chunk.Length; b++)
            {
                string output = vocab.Decode(decoded.Tokens[b]);
                var map = decoded.Attention?[b] is AttentionMap m
                    ? m with { QueryLabels = (output + DateTranslation.EndSymbol).Select(c => c.ToString()).Take(m.Queries).ToArray(),
                               KeyLabels = chunk[b].Source.Select(c => c.ToString()).ToArray() }
                    : null;
                examples.Add(new DateTranslationExample(chunk[b].Source, output, chunk[b].Target, map));
            }
        }
        return examples;
    }

    /// <summary>Translates free text written by a user (characters outside the source alphabet become the unknown symbol).</summary>
    public static DateTranslationExample Translate(Seq2SeqModel model, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length == 0) throw new RnnLabException("DateTranslationTrainer.Translate: the source text is empty");
        return Translate(model, [new DatePair(source, "", default, "user")])[0];
    }

    /// <summary>
    /// For each amount of filler (longer inputs), trains the same model with and without attention on the same budget
    /// and reports held-out accuracy: how the fixed-size bottleneck copes as the source grows.
    /// </summary>
    public static IReadOnlyList<AttentionComparison> CompareAttention(DateTrainingOptions options, IReadOnlyList<int> fillerWords,
                                                                      IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fillerWords);
        var rows = new List<AttentionComparison>();
        foreach (int filler in fillerWords)
        {
            var common = options with { FillerWords = filler, TargetAccuracy = null };
            var with = Train(common with { Attention = options.Attention == AttentionKind.None ? AttentionKind.Additive : options.Attention });
            var without = Train(common with { Attention = AttentionKind.None });
            var heldOut = Pairs(common, options.EvalSize, new Rng(options.Seed + 7), heldOut: true);
            var row = new AttentionComparison(filler, heldOut.Average(p => p.Source.Length), Accuracy(with.Model, heldOut), Accuracy(without.Model, heldOut), with.Steps,
                                              CharacterAccuracy(with.Model, heldOut), CharacterAccuracy(without.Model, heldOut));
            progress?.Report($"{filler} filler words (mean source {row.MeanSourceLength:F1} chars): with attention {row.AccuracyWithAttention:P1}, without {row.AccuracyWithoutAttention:P1}");
            rows.Add(row);
        }
        return rows;
    }
}
