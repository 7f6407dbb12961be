using System.Globalization;
using RnnLab.Plots;

namespace RnnLab.Interactive;

/// <summary>
/// Maps numbers to colours with the charts' own scales, so a notebook's SVG heatmaps and tables read like its
/// Plotly charts. Values of both signs get <see cref="Style.Diverging"/> centred on zero (blue = negative,
/// white = 0, red = positive) so that the sign is visible at a glance; values that all lie in 0..1 (gates,
/// attention weights, probabilities) get <see cref="Style.Sequential"/> fixed to 0..1 (white 0, black 1), exactly
/// like the Plotly gate and attention charts; other values of one sign get <see cref="Style.Magnitude"/> (viridis)
/// from the smallest to the largest.
/// </summary>
internal sealed class ColorScale
{
    public double Low { get; }
    public double High { get; }
    public bool IsDiverging => ReferenceEquals(_stops, Style.Diverging);
    private readonly object[][] _stops;
    private readonly bool _constant;   // every finite value is the same

    private ColorScale(double low, double high, object[][] stops, bool constant = false) =>
        (Low, High, _stops, _constant) = (low, high, stops, constant);

    /// <summary>
    /// The scale for these values (NaN and ±Inf are ignored). <paramref name="stretch"/> spreads the grey scale of
    /// 0..1 data over its own smallest..largest value instead of 0..1 (for nearly uniform weights).
    /// </summary>
    public static ColorScale For(IEnumerable<double> values, bool stretch = false)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) return new ColorScale(0, 1, Style.Magnitude);   // nothing finite
        if (min < 0 && max > 0)
        {
            double m = Math.Max(-min, max);
            return new ColorScale(-m, m, Style.Diverging);
        }
        if (min >= 0 && max <= 1)                              // a gate or weight: 0 closed (white), 1 open (black)
            return stretch && max > min ? new ColorScale(min, max, Style.Sequential) : new ColorScale(0, 1, Style.Sequential, min == max);
        return new ColorScale(min, max, Style.Magnitude);
    }

    /// <summary>"#rrggbb" for a value; NaN/Inf are drawn grey.</summary>
    public string Color(double v)
    {
        if (!double.IsFinite(v)) return "#9e9e9e";
        double t = High > Low ? (v - Low) / (High - Low) : 0.5;        // position on the scale, 0..1
        return Style.ColorAt(_stops, t);
    }

    /// <summary>A pale version of <see cref="Color"/> (mixed with white) for table backgrounds, so black text stays readable.</summary>
    public string Tint(double v)
    {
        if (!double.IsFinite(v)) return "#e0e0e0";
        if (_constant || !(High > Low)) return "#f7f7f7";   // all values equal: nothing to contrast
        string hex = Color(v);
        const double keep = 0.35;
        return $"#{Mix(hex[1..3]):x2}{Mix(hex[3..5]):x2}{Mix(hex[5..7]):x2}";
        static int Mix(string c) => (int)Math.Round(255 - keep * (255 - Convert.ToInt32(c, 16)));
    }

    public static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
