using System.Globalization;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Cli.Tests;

/// <summary><c>rnnlab train recall</c> trains lesson 04's race (<see cref="RecallRace"/>): the same task, model and batches.</summary>
public sealed class RecallTrainingTests
{
    [Fact]
    public void Defaults_are_the_race_of_lesson_04()
    {
        string model = Path.Combine(CliRun.TempDir(), "recall.safetensors");
        var r = CliRun.Run("train", "recall", "--steps", "1", "--eval-every", "0", "--out", model);
        Assert.True(r.ExitCode == 0, r.Error);
        var race = new RecallRaceOptions();
        var meta = Safetensors.Load(model).Metadata;
        Assert.Equal(race.Symbols.ToString(), meta["symbols"]);
        Assert.Equal(race.Distractors.ToString(), meta["distance"]);
        Assert.Equal(race.NoiseSymbols.ToString(), meta["noise"]);
        Assert.Equal("4", meta["keep_bias"]);
        Assert.Equal(race.HiddenSize.ToString(), meta["hidden"]);
        Assert.Equal(race.BatchSize.ToString(), meta["batch"]);
        Assert.Equal("0.003", meta["lr"]);
        Assert.Equal("5", meta["clip"]);
        Assert.Equal("Lstm", meta["kind"]);
        Assert.Equal((race.Symbols + race.NoiseSymbols + 1).ToString(), meta["input_size"]);   // symbols, noise tokens, query
        Assert.Contains("chance accuracy 25 %", r.Out);
        Assert.Contains("accuracy", r.Out[r.Out.IndexOf("final:", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("lstm", RecurrentKind.Lstm)]
    [InlineData("gru", RecurrentKind.Gru)]
    public void Trains_exactly_the_races_model_on_the_races_batches(string cell, RecurrentKind kind)
    {
        // A small race (5 distractors, 6 symbols, 3 noise tokens, 8 units, 4 steps) run both ways.
        var options = new RecallRaceOptions
        {
            Symbols = 6, Distractors = 5, NoiseSymbols = 3, HiddenSize = 8, KeepGateBias = 2, TrainingSteps = 4,
            EvalEvery = 2, StopAtAccuracy = null, Kinds = [kind], Seed = 3,
        };
        var run = RecallRace.Run(options).Runs[0];

        string model = Path.Combine(CliRun.TempDir(), "recall.safetensors");
        var r = CliRun.Run("train", "recall", "--cell", cell, "--symbols", "6", "--distance", "5", "--noise", "3", "--hidden", "8",
                           "--keep-bias", "2", "--steps", "4", "--eval-every", "2", "--seed", "3", "--out", model);
        Assert.True(r.ExitCode == 0, r.Error);

        // The same training losses at steps 2 and 4, the same held-out loss at the end, and the same weights, bit for bit.
        Assert.Contains($"train {F3(run.Losses[1])}", Line(r.Out, step: 2));
        Assert.Contains($"train {F3(run.Losses[3])}", Line(r.Out, step: 4));
        Assert.Contains($"validation {F3(run.FinalLoss)}", r.Out[r.Out.IndexOf("final:", StringComparison.Ordinal)..]);
        var saved = Safetensors.Load(model).Tensors;
        foreach (var (name, weight) in run.Model.StateDict())
            Assert.Equal(weight.Data, saved[name].Data);
    }

    private static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>The progress line "step N ..." that TrainingRun prints at an evaluation.</summary>
    private static string Line(string output, int step) =>
        output.Split('\n').Single(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["step", var n, ..] && n == step.ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("--noise", "-1")]
    [InlineData("--symbols", "1")]
    [InlineData("--distance", "0")]
    [InlineData("--keep-bias", "open")]
    public void Bad_recall_settings_are_refused_with_the_option_named(string option, string value)
    {
        var r = CliRun.Run("train", "recall", option, value, "--steps", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Error);
    }

    [Fact]
    public void Recall_options_on_another_task_are_refused()
    {
        var r = CliRun.Run("train", "copy", "--noise", "3", "--steps", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("for recall only", r.Error);
    }
}
