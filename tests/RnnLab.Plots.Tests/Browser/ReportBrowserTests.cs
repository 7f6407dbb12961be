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
        string path = BrowserFixture.PagePath(name);
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
    public async Task Harness_reports_console_errors_and_uncaught_exceptions()
    {
        string path = BrowserFixture.PagePath("broken");
        File.WriteAllText(path, "<!DOCTYPE html><html><body><p>broken</p>" +
            "<script>console.error('deliberate error'); throw new Error('deliberate throw');</script></body></html>");
        await using var page = await fixture.Browser.OpenAsync(path);
        await page.WaitUntilAsync("document.readyState === 'complete'");
        Assert.Contains(page.Errors, e => e.Contains("deliberate error"));
        Assert.Contains(page.Errors, e => e.Contains("deliberate throw"));
    }
}
