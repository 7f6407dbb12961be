using System.Text.Json.Nodes;
using RnnLab.Autodiff;
using RnnLab.Interactive;
using RnnLab.Notebooks.Tests.Harness;

namespace RnnLab.Notebooks.Tests.Notebooks;

/// <summary>The lesson runs fail on a chart without a title; this checks that detection on outputs of the kernel's shape.</summary>
public sealed class ChartTitleTests
{
    // The shape of Plotly.NET.Interactive's output (data and template shortened): the template carries a
    // title style of its own, and the axes have titles, but only layout.title.text is the chart's title.
    private static string Plotly(string layout) =>
        "<div><div id=\"c\"></div><script type=\"text/javascript\">\nvar renderPlotly_c = function() {\n" +
        "        var data = [{\"type\":\"scatter\",\"x\":[1,2],\"y\":[3,4]}];\n" +
        $"        var layout = {layout};\n        var config = {{\"responsive\":true}};\n" +
        "        Plotly.newPlot('c', data, layout, config);\n};\nrenderPlotly_c();\n</script></div>";

    private static NotebookCell Cell(params string[] htmlOutputs)
    {
        var outputs = new JsonArray();
        foreach (string html in htmlOutputs)
            outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = html } });
        return new NotebookCell(0, new JsonObject { ["cell_type"] = "code", ["source"] = "x", ["outputs"] = outputs });
    }

    [Fact]
    public void A_plotly_chart_with_only_template_and_axis_titles_is_untitled()
    {
        string untitled = Plotly("{\"width\":600,\"template\":{\"layout\":{\"title\":{\"x\":0.05}}},\"xaxis\":{\"title\":{\"text\":\"x\"}}}");
        string titled = Plotly("{\"title\":{\"text\":\"tanh and sigmoid\"},\"template\":{\"layout\":{\"title\":{\"x\":0.05}}},\"xaxis\":{\"title\":{\"text\":\"x\"}}}");
        Assert.Equal(["plotly chart in output 1"], Cell(untitled, titled).UntitledCharts);
        Assert.Equal("tanh and sigmoid", NotebookCell.PlotlyTitle(titled));
        Assert.Empty(Cell(titled).UntitledCharts);
    }

    [Fact]
    public void A_show_heatmap_without_a_title_is_untitled()
    {
        var t = Tensor.FromArray(new double[,] { { -1, 0 }, { 0.5, 2 } });
        string titled = Show.Heatmap(t, "∂L/∂W").Html, untitled = Show.Heatmap(t, xTitle: "input", yTitle: "unit").Html;
        Assert.Equal(["SVG heatmap 2 in output 1"], Cell(titled + untitled).UntitledCharts);
        Assert.Empty(Cell(titled).UntitledCharts);
    }
}
