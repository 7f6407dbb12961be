using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// The visual language shared by every chart, so a learner reads all of them the same way:
/// <list type="bullet">
/// <item>signed quantities (hidden states, candidate g / n, cell states, any signed matrix in a notebook) use
///   ONE <b>diverging</b> scale, <see cref="Diverging"/>, centred at 0: <b>blue is negative, white is zero,
///   red is positive</b> ("warm = more", matplotlib's RdBu_r); tanh-valued ones are fixed to −1..1;</item>
/// <item>gates (sigmoid outputs i, f, o, r, z, attention weights) use a <b>sequential</b> grey scale fixed to 0..1
///   (white closed, black open): no hue, so a gate is never mistaken for a sign;</item>
/// <item>gradient magnitudes use a <b>log</b> axis, because they vanish or explode geometrically.</item>
/// </list>
/// </summary>
public static class Style
{
    /// <summary>
    /// The one scale for signed values, as [position, colour] stops for plotly.js: blue (negative) – white (0) –
    /// red (positive), ColorBrewer RdBu reversed. Every signed heatmap in RnnLab uses it, the SVG heatmaps of
    /// <c>Show.Heatmap</c> and the tinted tensor tables included (through <see cref="ColorAt"/>).
    /// </summary>
    public static readonly object[][] Diverging =
    [
        [0.0, "#2166ac"], [0.1, "#4393c3"], [0.25, "#92c5de"], [0.4, "#d1e5f0"], [0.5, "#f7f7f7"],
        [0.6, "#fddbc7"], [0.75, "#f4a582"], [0.9, "#d6604d"], [1.0, "#b2182b"],
    ];

    /// <summary>
    /// White to black (ColorBrewer Greys), 0 = closed gate, 1 = open gate (and attention weight 0 to 1, as in Bahdanau et
    /// al.'s alignment figures). Grey rather than a hue, because blue and red already mean the sign.
    /// </summary>
    public static readonly object[][] Sequential =
    [
        [0.0, "#ffffff"], [0.25, "#d9d9d9"], [0.5, "#969696"], [0.75, "#525252"], [1.0, "#000000"],
    ];

    /// <summary>Dark to bright (Viridis), for unsigned magnitudes (connectivity, ‖∂h/∂x‖ on a log scale; one-signed matrices).</summary>
    public static readonly object[][] Magnitude =
    [
        [0.0, "#440154"], [0.25, "#3b528b"], [0.5, "#21918c"], [0.75, "#5ec962"], [1.0, "#fde725"],
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

    /// <summary>
    /// The <see cref="Diverging"/> colour of a tanh-valued <paramref name="value"/> (clamped to −1..1),
    /// as "#rrggbb": the same colours as the heatmaps, for HTML that is not drawn by plotly.js.
    /// </summary>
    public static string DivergingColor(double value) => ColorAt(Diverging, (Math.Clamp(value, -1, 1) + 1) / 2);

    /// <summary>
    /// The colour at <paramref name="position"/> (clamped to 0..1) of a plotly.js colour scale such as
    /// <see cref="Diverging"/> or <see cref="Magnitude"/>, interpolated linearly between its stops, as "#rrggbb".
    /// </summary>
    public static string ColorAt(object[][] scale, double position)
    {
        double p = Math.Clamp(position, 0, 1);
        int k = 1;
        while (k < scale.Length - 1 && (double)scale[k][0] < p) k++;
        double p0 = (double)scale[k - 1][0], p1 = (double)scale[k][0];
        double w = p1 > p0 ? Math.Clamp((p - p0) / (p1 - p0), 0, 1) : 0;
        (int r0, int g0, int b0) = Rgb((string)scale[k - 1][1]);
        (int r1, int g1, int b1) = Rgb((string)scale[k][1]);
        return $"#{Mix(r0, r1, w):x2}{Mix(g0, g1, w):x2}{Mix(b0, b1, w):x2}";

        static int Mix(int a, int b, double w) => (int)Math.Round(a + (b - a) * w);
        static (int, int, int) Rgb(string hex) =>
            (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
    }

    /// <summary>The layout every chart starts from: title, size, font, white background; a legend, if any, goes under the plot.</summary>
    internal static Layout BaseLayout(string title, int height, int width = Width, bool legend = false) =>
        new Layout()
            .With("title", new { text = title, x = 0.02, xanchor = "left", y = 1.0, yref = "container", yanchor = "top", pad = new { t = 14 }, font = new { size = 17 } })
            .With("width", width)
            .With("height", height)
            .With("font", new { family = FontFamily, size = 12, color = "#222222" })
            .With("paper_bgcolor", "#ffffff")
            .With("plot_bgcolor", "#ffffff")
            .With("margin", new Margin(l: 70, r: 30, t: 60, b: legend ? 120 : 60))
            .With("showlegend", legend)
            .With("legend", new { orientation = "h", x = 0.0, xanchor = "left", y = -0.3, yanchor = "top" })
            .With("hovermode", "closest");

    /// <summary>Space around the plot area in pixels (plotly.js <c>layout.margin</c>); lower-case names are plotly's.</summary>
    internal sealed record Margin(int l, int r, int t, int b);

    /// <summary>A colour bar with a title, placed beside the plot.</summary>
    internal static object ColorBar(string title, double y = 0.5, double len = 1.0, double x = 1.02) =>
        new { title = new { text = title, side = "right" }, x, y, len, yanchor = "middle", thickness = 14 };
}
