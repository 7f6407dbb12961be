using System.Text.Json.Nodes;
using Plotly.NET;

namespace RnnLab.Plots.Html;

/// <summary>
/// One chart as an HTML fragment: a &lt;div&gt; and the <c>Plotly.newPlot</c> call that draws
/// into it. The figure JSON comes from Plotly.NET's own serialiser (<c>GenericChart.toJson</c>).
/// Unlike <c>GenericChart.toChartHTML</c> the element id is ours, so the same report is the same
/// bytes every time.
/// </summary>
public static class ChartHtml
{
    /// <summary>The chart's plotly.js figure as a JSON object with "data", "layout" and "config".</summary>
    public static JsonObject FigureJson(GenericChart chart) =>
        JsonNode.Parse(GenericChart.toJson(chart))!.AsObject();

    /// <summary>A &lt;div id=...&gt; plus the script that draws the chart into it; needs plotly.js loaded on the page.</summary>
    public static string Fragment(GenericChart chart, string elementId)
    {
        JsonObject figure = FigureJson(chart);
        // System.Text.Json escapes '<' and '>' inside strings (\u003C), so a token such as
        // "</script>" cannot end the script element early.
        string data = figure["data"]?.ToJsonString() ?? "[]";
        string layout = figure["layout"]?.ToJsonString() ?? "{}";
        string config = figure["config"]?.ToJsonString() ?? "{}";
        return $"""
            <div class="rnnlab-chart" id="{elementId}"></div>
            <script>Plotly.newPlot("{elementId}", {data}, {layout}, {config});</script>
            """;
    }
}
