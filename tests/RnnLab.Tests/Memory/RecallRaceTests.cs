using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Memory;

public sealed class RecallRaceTests
{
    private static readonly RecallRaceOptions Tiny = new()
    {
        Distractors = 5, NoiseSymbols = 3, HiddenSize = 8, BatchSize = 8, TrainingSteps = 6,
        EvalSize = 16, EvalEvery = 2, StopAtAccuracy = null, Seed = 3,
    };

    [Fact]
    public void A_tiny_race_records_every_model_with_the_right_shapes_and_the_no_memory_baseline()
    {
        var race = RecallRace.Run(Tiny);
        Assert.Equal(Math.Log(4), race.BaselineLoss);
        Assert.Equal(0.25, race.ChanceAccuracy);
        Assert.Equal(["RNN (tanh)", "LSTM", "GRU"], race.Runs.Select(r => r.Name));
        foreach (var run in race.Runs)
        {
            Assert.Equal(6, run.StepsTrained);
            Assert.Equal([0, 2, 4, 6], run.Accuracy.Select(a => a.Step));
            Assert.All(run.Accuracy, a => Assert.Equal(0, a.Accuracy * 16 % 1, 12));   // k of 16 held-out sequences
            Assert.Equal(run.Accuracy[^1].Accuracy, run.FinalAccuracy);
            Assert.Equal(7, run.InputGradientAtStart.Length);                          // T = symbol + 5 distractors + query
            Assert.Equal(7, run.InputGradientAtEnd.Length);
            Assert.All(run.InputGradientAtStart, g => Assert.True(g > 0 && double.IsFinite(g), $"{run.Name}: gradient {g}"));
            Assert.True(run.LeftPlateauAt is null || run.LeftPlateauAt <= run.StepsTrained);
            Assert.Equal(RecallRace.Name(run.Kind), run.Name);
        }
        Assert.Same(race.Runs[1], race[RecurrentKind.Lstm]);
        Assert.Throws<RnnLabException>(() => race[RecurrentKind.RnnRelu]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_race_and_another_seed_another()
    {
        var options = Tiny with { Kinds = [RecurrentKind.Lstm] };
        var a = RecallRace.Run(options).Runs[0];
        var b = RecallRace.Run(options).Runs[0];
        var c = RecallRace.Run(options with { Seed = 4 }).Runs[0];
        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Accuracy, b.Accuracy);
        Assert.Equal(a.InputGradientAtStart, b.InputGradientAtStart);
        Assert.NotEqual(a.Losses, c.Losses);
    }

    [Fact]
    public void Before_training_almost_no_gradient_reaches_the_cue_of_the_rnn_but_plenty_reaches_the_gated_cells()
    {
        // One training step is enough: the gradients at the start are measured before it.
        var race = RecallRace.Run(new RecallRaceOptions { Distractors = 40, TrainingSteps = 1, EvalSize = 8 });
        double rnn = race[RecurrentKind.RnnTanh].CueGradientAtStart;
        Assert.True(rnn < 1e-8, $"RNN gradient at the cue {rnn:E2}");
        foreach (var gated in new[] { RecurrentKind.Lstm, RecurrentKind.Gru })
        {
            var run = race[gated];
            Assert.True(run.CueGradientAtStart > 1e4 * rnn && run.CueGradientAtStart > 1e-3 * run.QueryGradientAtStart,
                $"{run.Name}: cue {run.CueGradientAtStart:E2}, query {run.QueryGradientAtStart:E2}, RNN cue {rnn:E2}");
        }
    }

    [Fact]
    public void Bad_settings_are_refused_with_a_message()
    {
        Assert.Contains("Kinds", Assert.Throws<RnnLabException>(() => RecallRace.Run(Tiny with { Kinds = [] })).Message);
        Assert.Contains("TrainingSteps", Assert.Throws<RnnLabException>(() => RecallRace.Run(Tiny with { TrainingSteps = 0 })).Message);
    }

    /// <summary>The headline of lesson 04 and of the tour, at the shipped setting (about 20 s of CPU).</summary>
    [Fact]
    public void At_the_shipped_setting_the_rnn_stays_at_chance_and_the_lstm_and_gru_learn_the_task()
    {
        var race = RecallRace.Run();
        var rnn = race[RecurrentKind.RnnTanh];
        Assert.Equal(300, rnn.StepsTrained);
        Assert.Null(rnn.LeftPlateauAt);
        Assert.True(rnn.FinalAccuracy < 0.35, $"RNN accuracy {rnn.FinalAccuracy:P1} (chance 25 %)");
        Assert.True(rnn.FinalLoss > 0.95 * race.BaselineLoss, $"RNN loss {rnn.FinalLoss:F3} (log 4 = {race.BaselineLoss:F3})");
        foreach (var gated in new[] { RecurrentKind.Lstm, RecurrentKind.Gru })
        {
            var run = race[gated];
            Assert.True(run.FinalAccuracy >= 0.9, $"{run.Name} accuracy {run.FinalAccuracy:P1}");
            Assert.NotNull(run.LeftPlateauAt);
        }
    }
}
