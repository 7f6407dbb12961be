using System.Text.Json;
using RnnLab.Autodiff;
using RnnLab.Cli.Tour;
using RnnLab.Data;
using RnnLab.Plots.Html;
using RnnLab.Training;
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
        string html = File.ReadAllText(path);
        Assert.Contains("Samples from the live model", html);                // both kinds of samples, each labelled
        Assert.Contains("Samples from the model trained ahead of time", html);
        Assert.Contains("The pre-trained 128-unit LSTM reads a line", html);  // section 4 looks inside the trained model
        Assert.Equal("", r.Error);

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

    [Fact]
    public void The_shipped_character_model_is_found_beside_the_program_and_in_the_checkout()
    {
        var candidates = ShippedCharModel.Candidates();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "checkpoints", ShippedCharModel.FileName), candidates[0]);
        Assert.True(File.Exists(candidates[0]), "the build copies the checkpoint beside the program");
        Assert.Contains(candidates, c => c.EndsWith(Path.Combine("notebooks", "checkpoints", ShippedCharModel.FileName), StringComparison.Ordinal));
        Assert.Equal(candidates[0], ShippedCharModel.Find(candidates));

        var m = ModelFile.LoadCharModel(candidates[0]);
        Assert.Equal("tinyshakespeare", m.Metadata["corpus"]);                       // made by `rnnlab train char-lm`
        byte[] bytes = File.ReadAllBytes(candidates[0]);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));   // safetensors: u64 length, JSON
        Assert.Contains("\"dtype\":\"F32\"", header);
        Assert.DoesNotContain("\"dtype\":\"F64\"", header);
        Assert.True(new FileInfo(candidates[0]).Length <= 3 << 20, "at most 3 MB");
    }

    [Fact]
    public void Without_the_shipped_model_the_tour_says_where_it_looked()
    {
        string missing = Path.Combine(CliRun.TempDir(), "nowhere", ShippedCharModel.FileName);
        var corpus = TinyShakespeare.Load();
        var validation = new[] { SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(corpus.Validation, 2, 8, new Rng(1)), corpus.Vocabulary.Size) };
        var report = new Report("t");
        Assert.Null(CharModelSection.AddPretrainedSamples(report, [missing], validation, 10, 3.0, 1));
        string html = report.ToHtml();
        Assert.Contains("was not found", html);
        Assert.Contains(missing, html);

        var found = new Report("t");
        var model = CharModelSection.AddPretrainedSamples(found, [missing, ShippedCharModel.Candidates()[0]], validation, 10, 3.0, 1);
        Assert.NotNull(model);
        Assert.Contains("Samples from the model trained ahead of time", found.ToHtml());
    }
}
