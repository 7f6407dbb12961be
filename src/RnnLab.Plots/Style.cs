using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// The visual language shared by every chart, so a learner reads all of them the same way:
/// <list type="bullet">
/// <item>tanh-valued quantities (hidden states, candidate g / n) use a <b>diverging</b> scale
///   fixed to −1..1 and centred at 0: red is negative, white is zero, blue is positive;</item>
/// <item>gates (sigmoid outputs i, f, o, r, z, attention weights) use a <b>sequential</b> scale fixed to 0..1;</item>
/// <item>gradient magnitudes use a <b>log</b> axis, because they vanish or explode geometrically.</item>
/// </list>
/// </summary>
public static class Style
{
    /// <summary>Red–white–blue (ColorBrewer RdBu), as [position, colour] stops for plotly.js.</summary>
    public static readonly object[][] Diverging =
    [
        [0.0, "#b2182b"], [0.1, "#d6604d"], [0.25, "#f4a582"], [0.4, "#fddbc7"], [0.5, "#f7f7f7"],
        [0.6, "#d1e5f0"], [0.75, "#92c5de"], [0.9, "#4393c3"], [1.0, "#2166ac"],
    ];

    /// <summary>White to dark green-blue (ColorBrewer GnBu-like), 0 = closed gate, 1 = open gate.</summary>
    public static readonly object[][] Sequential =
    [
        [0.0, "#f7fcf0"], [0.25, "#ccebc5"], [0.5, "#7bccc4"], [0.75, "#2b8cbe"], [1.0, "#084081"],
    ];

    /// <summary>Line colours for overlaid series (models, gates), colour-blind safe (Okabe–Ito).</summary>
    public static readonly string[] SeriesColors =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

    public const string AxisLineColor = "#444444";
    public const string GridColor = "#e5e5e5";
    public const string MarkerLineColor = "#555555";
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

    public const int Width = 900;

    public static string SeriesColor(int i) => SeriesColors[i % SeriesColors.Length];

    /// <summary>The layout every chart starts from: title, size, font, white background.</summary>
    internal static Layout BaseLayout(string title, int height, int width = Width) =>
        new Layout()
            .With("title", new { text = title, x = 0.02, xanchor = "left", font = new { size = 17 } })
            .With("width", width)
            .With("height", height)
            .With("font", new { family = FontFamily, size = 12, color = "#222222" })
            .With("paper_bgcolor", "#ffffff")
            .With("plot_bgcolor", "#ffffff")
            .With("margin", new { l = 70, r = 30, t = 60, b = 60 })
            .With("hovermode", "closest");

    /// <summary>A colour bar with a title, placed beside the plot.</summary>
    internal static object ColorBar(string title, double y = 0.5, double len = 1.0, double x = 1.02) =>
        new { title = new { text = title, side = "right" }, x, y, len, yanchor = "middle", thickness = 14 };
}
