using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Attention;

public sealed class TransformerVsLstmTests
{
    [Fact]
    public void Sequential_steps_grow_with_T_for_the_lstm_only()
    {
        Assert.Equal(2, SelfAttentionVsRecurrence.TransformerSequentialSteps(2, 1000));
        Assert.Equal(2000, SelfAttentionVsRecurrence.LstmSequentialSteps(2, 1000));
        Assert.Throws<RnnLabException>(() => SelfAttentionVsRecurrence.LstmSequentialSteps(0, 5));
    }

    [Fact]
    public void Tiny_transformer_is_causal_a_later_token_never_changes_earlier_scores()
    {
        var model = new TinyTransformer(6, 8, 2, 2, 16, new Rng(1));
        int[] a = [1, 2, 3, 4, 5], b = [1, 2, 3, 0, 0];
        var la = model.Forward(a, 1, 5).Logits; var lb = model.Forward(b, 1, 5).Logits;
        for (int i = 0; i < 3 * 6; i++) Assert.Equal(la.Data[i], lb.Data[i], 1e-12);
        Assert.NotEqual(la.Data[3 * 6], lb.Data[3 * 6], 6);
    }

    [Fact]
    public void Tiny_transformer_gradients_match_central_differences()
    {
        var model = new TinyTransformer(5, 4, 2, 1, 6, new Rng(2));
        var (error, name) = ModuleGradCheck.ParameterError(model, () => model.Forward([1, 2, 0, 4, 3, 3], 2, 3).Logits, seed: 4);
        Assert.True(error < 1e-5, $"{name}: {error:E2}");
    }

    [Fact]
    public void Both_models_have_similar_size_and_learn_the_same_text()
    {
        var options = new CharModelOptions { TrainingSteps = 40, Steps = 16, BatchSize = 8, ModelDim = 16, FeedForwardDim = 64, LstmHiddenSize = 24, Heads = 2 };
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 60));
        var vocab = text.Distinct().OrderBy(c => c).ToList();
        var tokens = text.Select(c => vocab.IndexOf(c)).ToArray();
        var (transformer, lstm) = SelfAttentionVsRecurrence.Train(tokens[..1200], tokens[1200..], vocab.Count, options);
        Assert.InRange(transformer.Parameters / (double)lstm.Parameters, 0.6, 1.6);
        double uniform = Math.Log(vocab.Count);
        Assert.True(transformer.ValidationLoss < 0.7 * uniform, $"transformer {transformer.ValidationLoss:F3} vs uniform {uniform:F3}");
        Assert.True(lstm.ValidationLoss < 0.9 * uniform, $"LSTM {lstm.ValidationLoss:F3} vs uniform {uniform:F3}");
        var rows = SelfAttentionVsRecurrence.Measure([8, 32], vocab.Count, options, repeats: 1);
        Assert.Equal([1, 1], rows.Select(r => r.TransformerSequentialSteps));
        Assert.Equal([8, 32], rows.Select(r => r.LstmSequentialSteps));
        Assert.All(rows, r => Assert.True(r.TransformerMilliseconds > 0 && r.LstmMilliseconds > 0));
    }
}
