using RnnLab.Nn;

namespace RnnLab.Plots.Tests;

public sealed class RecallRaceChartsTests
{
    [Fact]
    public void The_race_charts_overlay_every_model_with_the_no_memory_line_and_the_gradient_on_a_log_axis()
    {
        var race = RecallRace.Run(new RecallRaceOptions
        {
            Distractors = 5, NoiseSymbols = 3, HiddenSize = 8, BatchSize = 8, TrainingSteps = 25, EvalSize = 16, EvalEvery = 5, StopAtAccuracy = null,
        });
        var accuracy = new ChartJson(Charts.RecallRaceAccuracy(race));
        Assert.Equal(["RNN (tanh)", "LSTM", "GRU", "no memory: chance 1/4"], accuracy.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0.0, 5, 10, 15, 20, 25], ChartJson.Numbers(accuracy.Trace(0).GetProperty("x")));
        Assert.Equal([0.25, 0.25], ChartJson.Numbers(accuracy.Trace(3).GetProperty("y")));

        var loss = new ChartJson(Charts.RecallRaceLoss(race));
        Assert.Equal(25 - RecallRace.LossWindow + 1, ChartJson.Numbers(loss.Trace(0).GetProperty("x")).Count());   // running mean from step 20 on
        Assert.Equal(race.Runs[0].Losses.Take(RecallRace.LossWindow).Average(), ChartJson.Numbers(loss.Trace(0).GetProperty("y")).First()!.Value, 12);

        var gradients = new ChartJson(Charts.RecallRaceGradients(race));
        Assert.Equal("log", gradients.Axis("yaxis").GetProperty("type").GetString());
        Assert.Equal(7, ChartJson.Numbers(gradients.Trace(0).GetProperty("y")).Count());   // one value per input step

        Assert.Throws<RnnLabException>(() => Charts.CurveComparison(new CurveComparisonData([])));
    }
}
