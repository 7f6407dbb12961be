using System.Xml.Linq;
using RnnLab.Autodiff;
using RnnLab.Interactive;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class HeatmapTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Draw(Tensor t, string? title = null, IReadOnlyList<string>? rows = null, IReadOnlyList<string>? cols = null) =>
        XElement.Parse(Show.Heatmap(t, title, rows, cols, "time step", "unit").Html);

    // The value cells are the rects that carry a tooltip (the colour bar's rects have none).
    private static XElement[] Cells(XElement svg) => svg.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToArray();

    private static (int R, int G, int B) Rgb(XElement rect)
    {
        string hex = (string)rect.Attribute("fill")!;
        return (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
    }

    [Fact]
    public void Is_well_formed_svg_with_one_rect_per_value_in_row_major_order()
    {
        var t = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var svg = Draw(t, "h", ["a", "b"], ["x", "y", "z"]);
        Assert.Equal("svg", svg.Name.LocalName);
        var cells = Cells(svg);
        Assert.Equal(6, cells.Length);
        Assert.Equal("b, y: 5", cells[4].Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), e => e.Value == "h");
        Assert.Contains(svg.Descendants(Svg + "text"), e => e.Value == "time step");
        Assert.DoesNotContain("<script", svg.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Signed_data_is_blue_below_zero_white_at_zero_red_above()
    {
        var cells = Cells(Draw(Tensor.FromArray([-2.0, 0.0, 2.0])));
        var (neg, zero, pos) = (Rgb(cells[0]), Rgb(cells[1]), Rgb(cells[2]));
        Assert.True(neg.B > neg.R + 50, $"negative should be blue, got {neg}");
        Assert.True(pos.R > pos.B + 50, $"positive should be red, got {pos}");
        Assert.True(zero.R > 230 && zero.G > 230 && zero.B > 230, $"zero should be near white, got {zero}");
    }

    [Fact]
    public void Signed_data_uses_the_same_colours_as_the_plotly_heatmaps()
    {
        // ±2 are the ends of the symmetric scale, 1 is halfway up: the colours of −1, +1 and +0.5 on a tanh heatmap.
        var cells = Cells(Draw(Tensor.FromArray([-2.0, 1.0, 2.0])));
        Assert.Equal(RnnLab.Plots.Style.DivergingColor(-1), (string)cells[0].Attribute("fill")!);
        Assert.Equal(RnnLab.Plots.Style.DivergingColor(0.5), (string)cells[1].Attribute("fill")!);
        Assert.Equal(RnnLab.Plots.Style.DivergingColor(1), (string)cells[2].Attribute("fill")!);
    }

    [Fact]
    public void One_signed_data_beyond_one_spans_viridis_from_dark_to_yellow()
    {
        var cells = Cells(Draw(Tensor.FromArray([0.0, 2.5, 5.0])));
        var (lo, hi) = (Rgb(cells[0]), Rgb(cells[2]));
        Assert.True(lo.R + lo.G < 120, $"smallest should be dark purple, got {lo}");
        Assert.True(hi.R > 200 && hi.G > 200 && hi.B < 80, $"largest should be yellow, got {hi}");
    }

    [Fact]
    public void Gates_and_attention_weights_use_the_plotly_gate_scale_fixed_to_zero_one()
    {
        // Values in 0..1 are drawn like GateActivations / AttentionHeatmap: Style.Sequential with zmin 0, zmax 1,
        // so 0.2..0.6 is NOT stretched to white..black, and 0 is white, 1 black whatever else is in the matrix.
        var cells = Cells(Draw(Tensor.FromArray([0.2, 0.6])));
        Assert.Equal(RnnLab.Plots.Style.ColorAt(RnnLab.Plots.Style.Sequential, 0.2), (string)cells[0].Attribute("fill")!);
        Assert.Equal(RnnLab.Plots.Style.ColorAt(RnnLab.Plots.Style.Sequential, 0.6), (string)cells[1].Attribute("fill")!);
        cells = Cells(Draw(Tensor.FromArray([0.0, 0.5, 1.0])));
        Assert.Equal("#ffffff", (string)cells[0].Attribute("fill")!);
        Assert.Equal("#000000", (string)cells[2].Attribute("fill")!);
        var mid = Rgb(cells[1]);
        Assert.True(mid.R == mid.G && mid.G == mid.B, $"a gate value should be grey (no hue), got {mid}");
    }

    [Fact]
    public void Stretch_spreads_the_grey_scale_over_the_data_range()
    {
        var svg = XElement.Parse(Show.Heatmap(Tensor.FromArray([0.08, 0.1, 0.12]), stretch: true).Html);
        var cells = Cells(svg);
        Assert.Equal("#ffffff", (string)cells[0].Attribute("fill")!);
        Assert.Equal("#000000", (string)cells[2].Attribute("fill")!);
        Assert.Contains(svg.Descendants(Svg + "text"), e => e.Value == "0.12");   // the colour bar's top label
    }

    [Fact]
    public void A_narrow_grid_is_drawn_wide_enough_for_its_title()
    {
        const string title = "read weighting per hop: where the network looked";
        var svg = Draw(Tensor.FromArray(new double[,] { { 0.9, 0.1 }, { 0.1, 0.9 } }), title);
        double width = double.Parse((string)svg.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture);
        double titleX = double.Parse((string)svg.Descendants(Svg + "text").First(e => e.Value == title).Attribute("x")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(width >= titleX + title.Length * 7, $"{title.Length} characters from x = {titleX} do not fit in width {width}");
    }

    [Fact]
    public void Nan_cells_are_grey_instead_of_breaking_the_scale()
    {
        var cells = Cells(Draw(Tensor.FromArray([double.NaN, 1.0, 2.0])));
        Assert.Equal("#9e9e9e", (string)cells[0].Attribute("fill")!);
    }

    [Fact]
    public void Bad_input_gets_a_message_that_says_what_to_do()
    {
        var e = Assert.Throws<RnnLabException>(() => Show.Heatmap(Tensor.Zeros(2, 3, 4)));
        Assert.Contains("[2, 3, 4]", e.Message);
        e = Assert.Throws<RnnLabException>(() => Show.Heatmap(Tensor.Zeros(300, 300)));
        Assert.Contains("slice", e.Message);
        e = Assert.Throws<RnnLabException>(() => Show.Heatmap(Tensor.Zeros(2, 3), rowLabels: ["only one"]));
        Assert.Contains("1 row labels given for 2 rows", e.Message);
    }
}
