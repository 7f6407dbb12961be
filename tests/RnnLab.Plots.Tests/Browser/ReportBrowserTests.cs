using System.Text.Json;
using RnnLab.Plots.Html;
using RnnLab.TestSupport.Browser;

namespace RnnLab.Plots.Tests.Browser;

[Collection("Browser")]
public sealed class ReportBrowserTests(BrowserFixture fixture)
{
    /// <summary>Saves the report, opens it in Chromium, checks every chart drew, screenshots it; returns the open page.</summary>
    internal static async Task<BrowserPage> OpenAndCheckAsync(BrowserFixture fixture, Report report, string name)
    {
        string dir = Directory.CreateTempSubdirectory("rnnlab-page-").FullName;
        string path = Path.Combine(dir, name + ".html");
        report.Save(path);
        var page = await fixture.Browser.OpenAsync(path);
        // plotly.js draws each chart into an <svg class="main-svg"> inside its container.
        await page.WaitUntilAsync(
            "[...document.querySelectorAll('.rnnlab-chart')].every(c => c.querySelector('.main-svg'))");
        JsonElement counts = await page.EvaluateAsync(
            "({ charts: document.querySelectorAll('.rnnlab-chart').length, " +
            "  drawn: [...document.querySelectorAll('.rnnlab-chart')].filter(c => c.querySelector('.main-svg .plot') && c._fullData && c._fullData.length > 0).length })");
        Assert.Equal(report.ChartCount, counts.GetProperty("charts").GetInt32());
        Assert.Equal(report.ChartCount, counts.GetProperty("drawn").GetInt32());
        await page.ScreenshotAsync(Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"));
        Assert.Empty(page.Errors);
        return page;
    }

    [Fact]
    public async Task Report_opens_offline_in_chromium_with_every_chart_drawn_and_no_console_errors()
    {
        var report = new Report("Report smoke test")
            .AddHeading("Hidden state")
            .AddText("Rows are units, columns are time steps. **Blue** is positive, **red** negative.")
            .AddChart(Charts.HiddenStateHeatmap(ReportTests.SmallStates()), "Four units over five steps.")
            .AddChart(Charts.HiddenStateHeatmap(ReportTests.SmallStates() with { Title = "Second copy" }));
        await using var page = await OpenAndCheckAsync(fixture, report, "report-smoke");

        // The page really is offline-capable: plotly.js came from the inline script, not a URL.
        JsonElement scripts = await page.EvaluateAsync("[...document.scripts].filter(s => s.src).length");
        Assert.Equal(0, scripts.GetInt32());
        JsonElement heatmapCells = await page.EvaluateAsync("document.querySelectorAll('#chart-1 .hm, #chart-1 image').length");
        Assert.True(heatmapCells.GetInt32() > 0, "the heatmap layer was drawn");
    }

    [Fact]
    public async Task Harness_reports_console_errors_and_uncaught_exceptions()
    {
        var report = new Report("Broken page")
            .AddHtml("<script>console.error('deliberate error'); throw new Error('deliberate throw');</script>");
        string dir = Directory.CreateTempSubdirectory("rnnlab-page-").FullName;
        string path = Path.Combine(dir, "broken.html");
        report.Save(path);
        await using var page = await fixture.Browser.OpenAsync(path);
        await page.WaitUntilAsync("document.readyState === 'complete'");
        Assert.Contains(page.Errors, e => e.Contains("deliberate error"));
        Assert.Contains(page.Errors, e => e.Contains("deliberate throw"));
    }
}
