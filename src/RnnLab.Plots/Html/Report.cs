using System.Net;
using System.Text;
using Plotly.NET;

namespace RnnLab.Plots.Html;

/// <summary>
/// A single self-contained HTML page: headings, explanatory text and several charts, with
/// plotly.js embedded inline so the page works with no network (open it from a USB stick in a
/// classroom). The CLI's tour report is one of these.
/// <code>
/// new Report("What an LSTM remembers")
///     .AddHeading("Hidden state")
///     .AddText("Each row is one unit; **blue** is negative, **red** positive.")
///     .AddChart(Charts.HiddenStateHeatmap(data))
///     .Save("tour.html");
/// </code>
/// </summary>
public sealed class Report
{
    private readonly List<string> _body = [];
    private int _charts;

    public Report(string title)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new RnnLabException("Report: the title is empty; give the page a title.");
        Title = title;
    }

    public string Title { get; }

    /// <summary>Number of charts added so far.</summary>
    public int ChartCount => _charts;

    /// <summary>A section heading; level 2 is a section, 3 a subsection (level 1 is the page title).</summary>
    public Report AddHeading(string text, int level = 2)
    {
        if (level is < 2 or > 4) throw new RnnLabException($"Report.AddHeading: level {level} is not 2, 3 or 4 (level 1 is the page title).");
        _body.Add($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>");
        return this;
    }

    /// <summary>Explanatory text in <see cref="MarkdownLite"/> (paragraphs, lists, bold, italic, code, links).</summary>
    public Report AddText(string markdown)
    {
        _body.Add(MarkdownLite.ToHtml(markdown));
        return this;
    }

    /// <summary>A chart, optionally with a caption under it.</summary>
    public Report AddChart(GenericChart chart, string? caption = null)
    {
        if (chart is null) throw new RnnLabException("Report.AddChart: the chart is null.");
        _charts++;
        string figure = ChartHtml.Fragment(chart, $"chart-{_charts}");
        string captionHtml = caption is null ? "" : $"<figcaption>{MarkdownLite.ToHtml(caption)}</figcaption>";
        _body.Add($"<figure>\n{figure}\n{captionHtml}</figure>");
        return this;
    }

    /// <summary>Raw HTML, inserted as is (e.g. <see cref="NeuronText.ToHtml"/>). Only pass HTML you built or trust.</summary>
    public Report AddHtml(string html)
    {
        _body.Add(html);
        return this;
    }

    public string ToHtml()
    {
        var page = new StringBuilder();
        page.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(Title)}</title>
            <style>{Css}</style>
            <!-- plotly.js {PlotlyJs.Version} (MIT License, Plotly, Inc.), embedded so this page needs no network -->
            <script>{PlotlyJs.Source}</script>
            </head>
            <body>
            <main>
            <h1>{WebUtility.HtmlEncode(Title)}</h1>

            """);
        foreach (string part in _body) page.Append(part).Append('\n');
        page.Append("</main>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public void Save(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new RnnLabException("Report.Save: the path is empty.");
        AtomicFile.WriteAllText(path, ToHtml());
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #222; background: #fafafa; margin: 0; }
        main { max-width: 960px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
        h1 { font-size: 28px; margin: 8px 0 16px; }
        h2 { font-size: 21px; margin: 36px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 17px; margin: 24px 0 6px; }
        p, li { line-height: 1.5; font-size: 15px; }
        code { background: #f2f2f2; padding: 1px 4px; border-radius: 3px; font-size: 90%; }
        figure { margin: 12px 0 24px; }
        figcaption { color: #555; font-size: 14px; }
        figcaption p { margin: 4px 0; font-size: 14px; }
        """;
}
