using RnnLab.Autodiff;
using RnnLab.Data.Tasks;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Attention;

public sealed class Seq2SeqTests
{
    private static Seq2SeqConfig Tiny(AttentionKind kind, bool bidirectional = true) =>
        new(5, 4) { EmbeddingSize = 3, HiddenSize = 2, Bidirectional = bidirectional, Attention = kind, AttentionSize = 3 };

    // Two sources of lengths 3 and 2 (padded to 3), two decoder steps.
    private static readonly int[] Source = [1, 2, 3, 4, 2, 0], Lengths = [3, 2], DecoderInputs = [0, 0, 1, 2];
    private static readonly int[] Targets = [1, 2, 3, 3];

    [Theory]
    [InlineData(AttentionKind.None, true)] [InlineData(AttentionKind.Additive, true)] [InlineData(AttentionKind.Dot, false)]
    [InlineData(AttentionKind.General, true)] [InlineData(AttentionKind.ScaledDot, true)]
    public void Gradients_of_the_whole_model_match_central_differences(AttentionKind kind, bool bidirectional)
    {
        var model = new Seq2SeqModel(Tiny(kind, bidirectional), new Rng(3));
        var (error, name) = ModuleGradCheck.ParameterError(model, () =>
        {
            var o = model.Forward(Source, Lengths, 3, DecoderInputs, 2);
            return Tensor.Concat([SequenceLoss.CrossEntropy(o.Logits, Targets).Reshape(1), o.Logits.Reshape(-1)], axis: 0);
        }, seed: 2);
        Assert.True(error < 1e-6, $"{name}: {error:E2}");
    }

    [Fact]
    public void Padding_does_not_change_a_sequence_s_result_and_gets_zero_attention()
    {
        // The second example alone (length 2, no padding) gives the same logits as inside the padded batch.
        var model = new Seq2SeqModel(Tiny(AttentionKind.Additive), new Rng(4));
        var batch = model.Forward(Source, Lengths, 3, DecoderInputs, 2);
        var alone = model.Forward([2, 4], [2], 2, [0, 2], 2);   // example 1 of the time-major batch
        for (int t = 0; t < 2; t++)
            for (int v = 0; v < 4; v++) Assert.Equal(alone.Logits[t, 0, v], batch.Logits[t, 1, v], 1e-12);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(0.0, batch.Attention![1, t, 2]);
            Assert.Equal(1, batch.Attention[1, t, 0] + batch.Attention[1, t, 1], 1e-12);
        }
    }

    [Fact]
    public void Parameter_names_follow_pytorch()
    {
        var names = new Seq2SeqModel(Tiny(AttentionKind.Additive), new Rng(1)).NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("encoder.embedding.weight", names);
        Assert.Contains("encoder.rnn.weight_hh_l0_reverse", names);
        Assert.Contains("decoder.weight_ih", names);
        Assert.Contains("attention.v.weight", names);
        Assert.Contains("out.bias", names);
    }

    [Fact]
    public void Learns_short_dates_with_attention_on_a_small_budget()
    {
        var options = new DateTrainingOptions
        {
            Formats = ["dd/MM/yy", "dd/MM/yyyy"], MaxSteps = 150, BatchSize = 32, HiddenSize = 24, EmbeddingSize = 8,
            LearningRate = 0.01, EvalEvery = 50, EvalSize = 200, TargetAccuracy = 0.9, Seed = 5,
        };
        var result = DateTranslationTrainer.Train(options);
        // Chance of a whole 10-character date is essentially 0; a model that ignores its input gets at most ~1/36500.
        Assert.True(result.HeldOutAccuracy >= 0.6, $"held-out exact match {result.HeldOutAccuracy:P1} after {result.Steps} steps");
        var test = DateTranslationTrainer.Pairs(options, 100, new Rng(77), heldOut: true);
        double exact = DateTranslationTrainer.Accuracy(result.Model, test), characters = DateTranslationTrainer.CharacterAccuracy(result.Model, test);
        Assert.True(characters >= exact && characters > 0.9, $"character accuracy {characters:P1}, exact match {exact:P1}");
        var example = DateTranslationTrainer.Translate(result.Model, "25/12/99");
        Assert.NotNull(example.Attention);
        foreach (var row in example.Attention!.Weights) Assert.Equal(1, row.Sum(), 1e-9);
        Assert.Equal("2", example.Attention.KeyLabels![0]);
    }

    [Fact]
    public void Chosen_formats_combine_with_filler_words()
    {
        var options = new DateTrainingOptions { Formats = ["dd/MM/yy", "dd/MM/yyyy"], FillerWords = 3 };
        var pairs = DateTranslationTrainer.Pairs(options, 100, new Rng(2), heldOut: true);
        foreach (var p in pairs)
        {
            string date = DateTranslation.Format(p.Date, p.Format);
            Assert.Contains(p.Format, options.Formats);
            Assert.Equal(3, p.Source.Replace(date, "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.True(DateTranslation.IsHeldOut(p.Date));
        }
        var plain = DateTranslationTrainer.Pairs(options with { FillerWords = 0 }, 100, new Rng(2), heldOut: true);
        Assert.All(plain, p => Assert.Equal(DateTranslation.Format(p.Date, p.Format), p.Source));
        Assert.True(pairs.Average(p => p.Source.Length) > plain.Average(p => p.Source.Length) + 10);
    }

    [Fact]
    public void Character_accuracy_counts_right_positions_and_missing_ones_as_wrong()
    {
        var model = new Seq2SeqModel(DateTranslationTrainer.Config(new DateTrainingOptions { HiddenSize = 4, EmbeddingSize = 3 }), new Rng(3));
        var pairs = DateTranslationTrainer.Pairs(new DateTrainingOptions(), 20, new Rng(5), heldOut: true);
        var outputs = DateTranslationTrainer.Translate(model, pairs);
        double expected = outputs.Average(e => Enumerable.Range(0, 10).Count(i => i < e.Output.Length && e.Output[i] == e.Expected[i]) / 10.0);
        Assert.Equal(expected, DateTranslationTrainer.CharacterAccuracy(model, pairs), 12);
        Assert.InRange(DateTranslationTrainer.CharacterAccuracy(model, pairs), DateTranslationTrainer.Accuracy(model, pairs), 1.0);
    }

    [Fact]
    public void Training_is_deterministic_per_seed()
    {
        var options = new DateTrainingOptions { MaxSteps = 3, BatchSize = 4, HiddenSize = 4, EmbeddingSize = 3, EvalEvery = 3, EvalSize = 5, Seed = 9 };
        var a = DateTranslationTrainer.Train(options);
        var b = DateTranslationTrainer.Train(options);
        Assert.Equal(a.History.Select(h => h.Loss), b.History.Select(h => h.Loss));
        Assert.Equal(a.Model.Parameters().SelectMany(p => p.Data), b.Model.Parameters().SelectMany(p => p.Data));
        var c = DateTranslationTrainer.Train(options with { Seed = 10 });
        Assert.NotEqual(a.History[0].Loss, c.History[0].Loss);
    }

    [Fact]
    public void Bad_options_are_reported()
    {
        Assert.Contains("unknown format 'yyyyMMdd'", Assert.Throws<RnnLabException>(() =>
            DateTranslationTrainer.Train(new DateTrainingOptions { Formats = ["yyyyMMdd"] })).Message);
        Assert.Contains("must be positive", Assert.Throws<RnnLabException>(() =>
            DateTranslationTrainer.Train(new DateTrainingOptions { BatchSize = 0 })).Message);
    }
}
