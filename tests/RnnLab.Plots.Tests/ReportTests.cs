using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests;

public sealed class ReportTests
{
    internal static StateHeatmapData SmallStates()
    {
        var v = new double[4, 5];
        for (int u = 0; u < 4; u++) for (int t = 0; t < 5; t++) v[u, t] = Math.Tanh(u - t * 0.5);
        return new StateHeatmapData(v, ["t", "e", "s", "t", "!"]);
    }

    [Fact]
    public void Page_embeds_plotly_js_inline_and_references_no_network_resource()
    {
        string html = new Report("Tour").AddHeading("States").AddChart(Charts.HiddenStateHeatmap(SmallStates())).ToHtml();

        Assert.Contains(PlotlyJs.Source, html);
        Assert.True(PlotlyJs.Source.Length > 1_000_000, "the full plotly.min.js bundle is embedded");
        Assert.Matches(@"^\d+\.\d+\.\d+$", PlotlyJs.Version);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("cdn.plot.ly", html.Replace(PlotlyJs.Source, "")); // (plotly.js itself names it as a mapbox default)
        Assert.Contains("Plotly.newPlot(\"chart-1\"", html);
    }

    [Fact]
    public void Headings_text_and_chart_captions_are_escaped_and_in_order()
    {
        var report = new Report("A <b>title</b>")
            .AddHeading("Gates & memory")
            .AddText("The **forget gate** f decides.\n\n- item `one`\n- item <two>")
            .AddChart(Charts.HiddenStateHeatmap(SmallStates()), "Caption *here*")
            .AddChart(Charts.HiddenStateHeatmap(SmallStates()));
        string html = report.ToHtml();

        Assert.Equal(2, report.ChartCount);
        Assert.Contains("<h1>A &lt;b&gt;title&lt;/b&gt;</h1>", html);
        Assert.Contains("<h2>Gates &amp; memory</h2>", html);
        Assert.Contains("<strong>forget gate</strong>", html);
        Assert.Contains("<li>item <code>one</code></li><li>item &lt;two&gt;</li>", html);
        Assert.Contains("<em>here</em>", html);
        Assert.True(html.IndexOf("chart-1", StringComparison.Ordinal) < html.IndexOf("chart-2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_holding_a_closing_script_tag_cannot_break_the_page()
    {
        var data = SmallStates() with { Tokens = ["</script>", "a", "b", "c", "d"] };
        string html = new Report("x").AddChart(Charts.HiddenStateHeatmap(data)).ToHtml();
        int chartScript = html.IndexOf("Plotly.newPlot(\"chart-1\"", StringComparison.Ordinal);
        string rest = html[chartScript..];
        string script = rest[..rest.IndexOf("</script>", StringComparison.Ordinal)];
        Assert.EndsWith(");", script.TrimEnd());          // the element ends where the call ends
        Assert.Contains("\\u003C/script\\u003E", script); // the token is still there, escaped
    }

    [Fact]
    public void Save_writes_the_whole_page_and_leaves_no_temporary_file()
    {
        string dir = Directory.CreateTempSubdirectory("rnnlab-report-").FullName;
        try
        {
            string path = Path.Combine(dir, "report.html");
            File.WriteAllText(path, "old");
            var report = new Report("Saved").AddText("hello");
            report.Save(path);
            Assert.Equal(report.ToHtml(), File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bad_report_input_is_a_clear_error()
    {
        Assert.Throws<RnnLabException>(() => new Report(" "));
        Assert.Throws<RnnLabException>(() => new Report("x").AddHeading("h", 1));
        var missing = Assert.Throws<RnnLabException>(() => new Report("x").Save("/nonexistent-dir-rnnlab/x.html"));
        Assert.Contains("does not exist", missing.Message);
    }
}
