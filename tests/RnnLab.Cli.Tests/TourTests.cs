using System.Text.Json;
using RnnLab.TestSupport.Browser;

namespace RnnLab.Cli.Tests;

public sealed class TourTests
{
    [Fact]
    public async Task The_quick_tour_page_draws_every_figure_without_console_errors()
    {
        string dir = CliRun.TempDir();
        var r = CliRun.Run("tour", "--quick", "--out", dir);
        Assert.True(r.ExitCode == 0, r.Error);
        string path = Path.Combine(dir, "rnnlab-tour.html");
        Assert.Contains(path, r.Out);

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var page = await browser.OpenAsync(path, width: 1200, height: 900);
        await page.WaitUntilAsync("[...document.querySelectorAll('.rnnlab-chart')].every(c => c.querySelector('.main-svg'))");
        JsonElement counts = await page.EvaluateAsync(
            "({ charts: document.querySelectorAll('.rnnlab-chart').length, " +
            "  drawn: [...document.querySelectorAll('.rnnlab-chart')].filter(c => c._fullData && c._fullData.length > 0).length, " +
            "  sections: document.querySelectorAll('h2').length })");
        Assert.True(counts.GetProperty("charts").GetInt32() >= 9, $"only {counts.GetProperty("charts").GetInt32()} charts");
        Assert.Equal(counts.GetProperty("charts").GetInt32(), counts.GetProperty("drawn").GetInt32());
        Assert.Equal(6, counts.GetProperty("sections").GetInt32());
        string shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        await page.ScreenshotAsync(Path.Combine(shots, "tour-quick.png"));
        Assert.Empty(page.Errors);
    }
}
