using System.Text.Json;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests.Browser;

[Collection("Browser")]
public sealed class ScrubberBrowserTests(BrowserFixture fixture)
{
    private const string Shown =
        "(() => { const gd = document.getElementById('chart-1'); " +
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
        var (x, y, w, h) = await page.ElementRectAsync("#chart-1 .slider-rail-touch-rect");
        await page.ClickAsync(x + 0.6 * w, y + h / 2);
        await page.WaitUntilAsync("document.getElementById('chart-1')._fullData.filter(t => t.visible === true)[0].index !== 0");

        JsonElement after = await page.EvaluateAsync(Shown);
        int step = after.GetProperty("active").GetInt32();
        Assert.InRange(step, 5, Samples.Text.Length - 3);
        // Exactly that step's hidden bars, 4 gates and attention row are shown, in all three panels.
        Assert.Equal(Enumerable.Range(step * perStep, perStep), after.GetProperty("visible").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Contains($"step {step}, token '{TokenAxis.Display(Samples.Text[step])}'", after.GetProperty("title").GetString());
        JsonElement panels = await page.EvaluateAsync(
            "[...new Set(document.getElementById('chart-1')._fullData.filter(t => t.visible === true).map(t => t.xaxis))]");
        Assert.Equal(["x", "x2", "x3"], panels.EnumerateArray().Select(p => p.GetString()));

        await page.ScreenshotAsync(Path.Combine(BrowserFixture.ScreenshotDir, "scrubber-moved.png"));
        Assert.Empty(page.Errors);
    }
}
