using System.Text.Json;
using Plotly.NET;
using RnnLab.Plots.Html;
using RnnLab.TestSupport.Browser;

namespace RnnLab.Plots.Tests.Browser;

[Collection("Browser")]
public sealed class ScrubberBrowserTests(BrowserFixture fixture)
{
    private const string Shown =
        "(() => { const gd = document.querySelector('.js-plotly-plot'); " +
        "return { active: gd._fullLayout.sliders[0].active, title: gd._fullLayout.title.text, " +
        "visible: gd._fullData.filter(t => t.visible === true).map(t => t.index) }; })()";

    [Fact]
    public async Task Clicking_the_slider_moves_hidden_bars_gates_and_attention_to_the_chosen_step()
    {
        var report = new Report("Time scrubber").AddChart(Charts.TimeScrubber(Samples.Scrubber()));
        await using var page = await ReportBrowserTests.OpenAndCheckAsync(fixture, report, "scrubber-step0");
        const int perStep = 6;

        JsonElement before = await page.EvaluateAsync(Shown);
        Assert.Equal(0, before.GetProperty("active").GetInt32());
        Assert.Equal(Enumerable.Range(0, perStep), before.GetProperty("visible").EnumerateArray().Select(v => v.GetInt32()));

        // A real mouse click on the slider rail, 60 % of the way along.
        int step = await ClickSliderAsync(page, 0.6);
        Assert.InRange(step, 5, Samples.Text.Length - 3);
        // Exactly that step's hidden bars, 4 gates and attention row are shown, in all three panels.
        JsonElement after = await page.EvaluateAsync(Shown);
        Assert.Equal(Enumerable.Range(step * perStep, perStep), after.GetProperty("visible").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Contains($"step {step}, token '{TokenAxis.Display(Samples.Text[step])}'", after.GetProperty("title").GetString());
        JsonElement panels = await page.EvaluateAsync(
            "[...new Set(document.querySelector('.js-plotly-plot')._fullData.filter(t => t.visible === true).map(t => t.xaxis))]");
        Assert.Equal(["x", "x2", "x3"], panels.EnumerateArray().Select(p => p.GetString()));

        await page.ScreenshotAsync(Path.Combine(BrowserFixture.ScreenshotDir, "scrubber-moved.png"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task The_slider_also_works_in_Plotly_NETs_own_HTML_the_path_notebook_outputs_take()
    {
        // Plotly.NET renders the chart itself (its own div and script, as its notebook formatter does),
        // with its embedded plotly.js inlined: no RnnLab HTML and no extra JavaScript involved.
        var chart = GenericChart.setDisplayOptions(
            DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference.Full),
            Charts.TimeScrubber(Samples.Scrubber()));
        string path = BrowserFixture.PagePath("plotlynet-scrubber");
        File.WriteAllText(path, GenericChart.toEmbeddedHTML(chart));
        await using var page = await fixture.Browser.OpenAsync(path);
        await page.WaitUntilAsync("document.querySelector('.js-plotly-plot .main-svg')");

        int step = await ClickSliderAsync(page, 0.3);
        JsonElement after = await page.EvaluateAsync(Shown);
        Assert.InRange(step, 1, Samples.Text.Length - 1);
        Assert.Equal(Enumerable.Range(step * 6, 6), after.GetProperty("visible").EnumerateArray().Select(v => v.GetInt32()));
        await page.ScreenshotAsync(Path.Combine(BrowserFixture.ScreenshotDir, "scrubber-plotlynet.png"));
        Assert.Empty(page.Errors);
    }

    /// <summary>Clicks the slider rail at <paramref name="fraction"/> of its length with a real mouse; returns the step it moved to.</summary>
    private static async Task<int> ClickSliderAsync(BrowserPage page, double fraction)
    {
        var (x, y, w, h) = await page.ElementRectAsync(".js-plotly-plot .slider-rail-touch-rect");
        await page.ClickAsync(x + fraction * w, y + h / 2);
        await page.WaitUntilAsync("document.querySelector('.js-plotly-plot')._fullData.filter(t => t.visible === true)[0].index !== 0");
        return (await page.EvaluateAsync(Shown)).GetProperty("active").GetInt32();
    }
}
