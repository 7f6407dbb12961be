using System.Globalization;

namespace RnnLab.Interactive;

/// <summary>
/// Maps numbers to colours. Values of both signs get a diverging scale centred on zero
/// (blue = negative, white = 0, red = positive, as in matplotlib's RdBu_r) so that the sign is visible at a glance;
/// values of one sign get viridis from the smallest to the largest.
/// </summary>
internal sealed class ColorScale
{
    private static readonly (double R, double G, double B)[] Diverging =
        [(5, 48, 97), (67, 147, 195), (247, 247, 247), (214, 96, 77), (103, 0, 31)];

    private static readonly (double R, double G, double B)[] Viridis =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    public double Low { get; }
    public double High { get; }
    public bool IsDiverging { get; }

    private ColorScale(double low, double high, bool diverging) => (Low, High, IsDiverging) = (low, high, diverging);

    /// <summary>The scale for these values (NaN and ±Inf are ignored).</summary>
    public static ColorScale For(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) return new ColorScale(0, 1, false);   // nothing finite
        if (min < 0 && max > 0)
        {
            double m = Math.Max(-min, max);
            return new ColorScale(-m, m, true);
        }
        return new ColorScale(min, max, false);
    }

    /// <summary>"#rrggbb" for a value; NaN/Inf are drawn grey.</summary>
    public string Color(double v)
    {
        if (!double.IsFinite(v)) return "#9e9e9e";
        var (r, g, b) = Rgb(v);
        return $"#{(int)Math.Round(r):x2}{(int)Math.Round(g):x2}{(int)Math.Round(b):x2}";
    }

    /// <summary>A pale version of <see cref="Color"/> (mixed with white) for table backgrounds, so black text stays readable.</summary>
    public string Tint(double v)
    {
        if (!double.IsFinite(v)) return "#e0e0e0";
        if (!(High > Low)) return "#f7f7f7";   // all values equal: nothing to contrast
        var (r, g, b) = Rgb(v);
        const double keep = 0.35;
        return $"#{Mix(r):x2}{Mix(g):x2}{Mix(b):x2}";
        static int Mix(double c) => (int)Math.Round(255 - keep * (255 - c));
    }

    private (double R, double G, double B) Rgb(double v)
    {
        var stops = IsDiverging ? Diverging : Viridis;
        double t = High > Low ? (v - Low) / (High - Low) : 0.5;
        t = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        int i = Math.Min((int)t, stops.Length - 2);
        double f = t - i;
        var (a, b) = (stops[i], stops[i + 1]);
        return (a.R + f * (b.R - a.R), a.G + f * (b.G - a.G), a.B + f * (b.B - a.B));
    }

    public static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
