using System.Text.Json;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests.Browser;

/// <summary>Every chart kind in one exported page, opened in real Chromium.</summary>
[Collection("Browser")]
public sealed class GalleryBrowserTests(BrowserFixture fixture)
{
    internal static Report Gallery() => new Report("RnnLab chart gallery")
        .AddText("Every chart RnnLab draws, from small deterministic examples. Red is negative, blue positive; gates run 0..1; gradients use a log scale.")
        .AddHeading("Hidden state")
        .AddChart(Charts.HiddenStateHeatmap(new StateHeatmapData(Samples.RnnStates(), Samples.Text)))
        .AddHeading("Gates")
        .AddChart(Charts.GateActivations(new GateActivationData(Samples.LstmGates(), Samples.Text)))
        .AddHeading("Gradients")
        .AddChart(Charts.GradientNorms(Samples.Gradients()))
        .AddChart(Charts.ConnectivityHeatmap(Samples.Connectivity()))
        .AddChart(Charts.SpectralRadiusSweep(Samples.Sweep()))
        .AddChart(Charts.SingularValues(Samples.Singular()))
        .AddHeading("Attention")
        .AddChart(Charts.AttentionHeatmap(Samples.Attention()))
        .AddHeading("Training")
        .AddChart(Charts.LossCurves(Samples.Loss()))
        .AddChart(Charts.GradNormHistory(Samples.GradNormHistory()))
        .AddChart(Charts.ForecastVsActual(Samples.Forecast()))
        .AddHeading("One neuron")
        .AddHtml(NeuronText.ToHtml(Samples.NeuronText()))
        .AddHeading("Gaps")
        .AddChart(Charts.GradientNorms(new GradientNormData([new("with NaN", [1, 0.5, double.NaN, 0.1, 0.05, 0, 0.01])])));

    [Fact]
    public async Task Every_chart_kind_draws_in_chromium_without_console_errors()
    {
        var report = Gallery();
        await using var page = await ReportBrowserTests.OpenAndCheckAsync(fixture, report, "gallery");

        // The log axes really are log axes in the drawn figure, and the NaN note is visible text.
        JsonElement logAxes = await page.EvaluateAsync(
            "[...document.querySelectorAll('.rnnlab-chart')].filter(c => c._fullLayout.yaxis.type === 'log').length");
        Assert.Equal(4, logAxes.GetInt32());
        JsonElement note = await page.EvaluateAsync(
            $"document.getElementById('chart-{report.ChartCount}').querySelector('.annotation-text').textContent");
        Assert.Contains("NaN", note.GetString());
    }

    [Fact]
    public async Task Neuron_text_shows_coloured_characters_and_the_top5_predictions_of_the_hovered_one()
    {
        var report = new Report("Neuron text").AddHtml(NeuronText.ToHtml(Samples.NeuronText()));
        await using var page = await ReportBrowserTests.OpenAndCheckAsync(fixture, report, "neuron-text");

        JsonElement colours = await page.EvaluateAsync(
            "[...document.querySelectorAll('.nt-c')].map(s => getComputedStyle(s).backgroundColor)");
        Assert.Equal(Samples.Text.Length, colours.GetArrayLength());
        Assert.True(colours.EnumerateArray().Select(c => c.GetString()).Distinct().Count() > 3, "characters have different colours");

        var (x, y, w, h) = await page.ElementRectAsync(".nt-c:nth-child(2)");
        await page.HoverAsync(x + w / 2, y + h / 2);
        JsonElement hovered = await page.EvaluateAsync("document.querySelector('.nt-c:hover')?.title ?? ''");
        string tip = hovered.GetString()!;
        Assert.StartsWith("step 1, 'e'", tip);
        Assert.Equal(5, tip.Split('\n').Count(l => l.StartsWith("  '")));
    }
}
