using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>One run of a sweep: recurrent weights scaled to spectral radius ρ, and the measured gradient decay rate.</summary>
/// <param name="DecayRate">Measured rate, e.g. the slope of log₁₀‖∂L/∂hₜ‖ per step (negative = vanishing).</param>
public sealed record SweepPoint(double Rho, double DecayRate);

/// <summary>A named series of sweep points (e.g. one per cell type).</summary>
public sealed record SweepSeries(string Name, IReadOnlyList<SweepPoint> Points);

public sealed record SpectralSweepData(
    IReadOnlyList<SweepSeries> Series,
    string Title = "Gradient decay rate vs spectral radius ρ",
    string YTitle = "decay rate (log₁₀ ‖∂L/∂hₜ‖ per step)");

/// <summary>The singular values of one Jacobian ∂hₜ/∂hₜ₋₁ (or of a product of them), labelled e.g. "t = 10".</summary>
public sealed record SingularValueSet(string Label, IReadOnlyList<double> Values);

public sealed record SingularValueData(IReadOnlyList<SingularValueSet> Sets, string Title = "Jacobian singular values");

public static partial class Charts
{
    /// <summary>
    /// Spectral-radius sweep: measured decay rate against ρ, with ρ = 1 marked. Below ρ = 1 the
    /// gradient shrinks geometrically; above it, it can explode.
    /// </summary>
    public static GenericChart SpectralRadiusSweep(SpectralSweepData data)
    {
        const string chart = nameof(SpectralRadiusSweep);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Series, "Series");
        Check.NotEmpty(chart, data.Series.Count, "the series list");
        var gaps = new Gaps();
        var traces = new List<Trace>();
        for (int s = 0; s < data.Series.Count; s++)
        {
            var series = data.Series[s];
            Check.NotNull(chart, series.Points, $"series '{series.Name}' Points");
            Check.NotEmpty(chart, series.Points.Count, $"series '{series.Name}'");
            var points = series.Points.OrderBy(p => p.Rho).ToArray();
            if (points.Any(p => !double.IsFinite(p.Rho)))
                throw new RnnLabException($"{chart}: series '{series.Name}' has a ρ that is NaN or infinite; every point needs a finite ρ.");
            string color = Style.SeriesColor(s);
            traces.Add(Figure.Trace("scatter")
                .With("x", points.Select(p => p.Rho).ToArray())
                .With("y", gaps.Series(points.Select(p => p.DecayRate).ToArray()))
                .With("mode", "lines+markers").With("name", series.Name)
                .With("line", new { color, width = 2 }).With("marker", new { color, size = 7 })
                .With("hovertemplate", $"{series.Name}<br>ρ = %{{x:.3f}}<br>rate = %{{y:.4f}}<extra></extra>"));
        }
        var notes = new List<object>();
        notes.Add(new { text = "ρ = 1", x = 1.0, xref = "x", y = 1.0, yref = "paper", yanchor = "bottom", showarrow = false, font = new { color = "#666666" } });
        var layout = Style.BaseLayout(data.Title, height: 460, legend: true)
            .With("xaxis", Figure.Axis("spectral radius ρ of W_hh"))
            .With("yaxis", Figure.Axis(data.YTitle).With("zeroline", true).With("zerolinecolor", "#999999"))
            .With("shapes", new[] { VerticalLine(1.0) })
            .With("annotations", notes);
        return Figure.Chart(traces, layout, gaps);
    }

    /// <summary>
    /// Singular values σ₁ ≥ σ₂ ≥ … of Jacobians on a log axis, with σ = 1 marked: directions
    /// with σ &lt; 1 shrink a gradient passing back through that step, σ &gt; 1 amplify it.
    /// Values are drawn sorted, largest first.
    /// </summary>
    public static GenericChart SingularValues(SingularValueData data)
    {
        const string chart = nameof(SingularValues);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Sets, "Sets");
        Check.NotEmpty(chart, data.Sets.Count, "the list of singular-value sets");
        var gaps = new Gaps();
        var traces = new List<Trace>();
        for (int s = 0; s < data.Sets.Count; s++)
        {
            var set = data.Sets[s];
            Check.NotNull(chart, set.Values, $"set '{set.Label}' Values");
            Check.NotEmpty(chart, set.Values.Count, $"set '{set.Label}'");
            Check.LogScalable(chart, set.Label, set.Values);
            double[] sorted = set.Values.OrderByDescending(v => double.IsNaN(v) ? double.NegativeInfinity : v).ToArray();
            string color = Style.SeriesColor(s);
            traces.Add(Figure.Trace("scatter")
                .With("x", Enumerable.Range(1, sorted.Length).ToArray())
                .With("y", gaps.Series(sorted, logScale: true))
                .With("mode", "lines+markers").With("name", set.Label)
                .With("line", new { color, width = 1.5 }).With("marker", new { color, size = 6 })
                .With("hovertemplate", $"{set.Label}<br>σ%{{x}} = %{{y:.4g}}<extra></extra>"));
        }
        var layout = Style.BaseLayout(data.Title, height: 460, legend: true)
            .With("xaxis", Figure.Axis("index k (σₖ, largest first)").With("dtick", 1).With("tick0", 1))
            .With("yaxis", LogAxis("singular value σₖ (log scale)"))
            .With("shapes", new[] { HorizontalLine(1.0) });
        return Figure.Chart(traces, layout, gaps);
    }

    internal static object VerticalLine(double x) =>
        new { type = "line", xref = "x", yref = "paper", x0 = x, x1 = x, y0 = 0, y1 = 1, line = new { color = "#888888", dash = "dot", width = 1.5 } };

    internal static object HorizontalLine(double y) =>
        new { type = "line", xref = "paper", yref = "y", x0 = 0, x1 = 1, y0 = y, y1 = y, line = new { color = "#888888", dash = "dot", width = 1.5 } };
}
