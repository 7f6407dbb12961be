using System.Text.Json;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests.Browser;

/// <summary>Every chart kind in one exported page, opened in real Chromium.</summary>
[Collection("Browser")]
public sealed class GalleryBrowserTests(BrowserFixture fixture)
{
    internal static Report Gallery() => new Report("RnnLab chart gallery")
        .AddText("Every chart RnnLab draws, from small deterministic examples. Blue is negative, red positive; gates run 0..1; gradients use a log scale.")
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

    /// <summary>One page load for all of it: the page embeds the 3.5 MB plotly.js, so each load costs.</summary>
    [Fact]
    public async Task Every_chart_kind_draws_offline_in_chromium_without_console_errors()
    {
        var report = Gallery();
        await using var page = await ReportBrowserTests.OpenAndCheckAsync(fixture, report, "gallery");

        // The page really is offline-capable: plotly.js came from the inline script, not a URL.
        JsonElement external = await page.EvaluateAsync("[...document.scripts].filter(s => s.src).length");
        Assert.Equal(0, external.GetInt32());
        JsonElement heatmapLayer = await page.EvaluateAsync("document.querySelectorAll('#chart-1 .hm image').length");
        Assert.True(heatmapLayer.GetInt32() > 0, "the hidden-state heatmap was painted");

        // The log axes really are log axes in the drawn figure, and the NaN note is visible text.
        JsonElement logAxes = await page.EvaluateAsync(
            "[...document.querySelectorAll('.rnnlab-chart')].filter(c => c._fullLayout.yaxis.type === 'log').length");
        Assert.Equal(4, logAxes.GetInt32());
        JsonElement note = await page.EvaluateAsync(
            $"document.getElementById('chart-{report.ChartCount}').querySelector('.annotation-text').textContent");
        Assert.Contains("NaN", note.GetString());

        // Neuron text: coloured characters, and hovering one shows its top-5 next-character predictions.
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
