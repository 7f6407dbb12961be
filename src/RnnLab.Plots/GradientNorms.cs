using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// One model's gradient magnitude per time step, e.g. ‖∂L/∂hₜ‖ for t = 0..T−1, with an optional
/// prediction from theory (e.g. ‖∂L/∂h_T‖·γ^(T−t) for a fitted or spectral-radius decay rate γ).
/// </summary>
/// <param name="Norms">T measured magnitudes.</param>
/// <param name="PredictedDecay">T predicted magnitudes, drawn dashed in the same colour; null for none.</param>
public sealed record GradientNormSeries(string Model, IReadOnlyList<double> Norms, IReadOnlyList<double>? PredictedDecay = null);

/// <param name="Series">One or more models, overlaid.</param>
/// <param name="Tokens">Optional: one token per time step, used as tick labels.</param>
public sealed record GradientNormData(
    IReadOnlyList<GradientNormSeries> Series,
    IReadOnlyList<string>? Tokens = null,
    string Title = "Gradient magnitude per time step",
    string YTitle = "‖∂L/∂hₜ‖",
    string XTitle = "time step t");

public static partial class Charts
{
    /// <summary>
    /// Gradient magnitude per time step on a log axis, several models overlaid: a straight line
    /// on this chart is exponential decay (vanishing) or growth (exploding). Each model's predicted
    /// decay is the dashed line of the same colour.
    /// </summary>
    public static GenericChart GradientNorms(GradientNormData data)
    {
        const string chart = nameof(GradientNorms);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Series, "Series");
        Check.NotEmpty(chart, data.Series.Count, "the series list");
        var gaps = new Gaps();
        var traces = new List<Trace>();
        int longest = 0;
        for (int s = 0; s < data.Series.Count; s++)
        {
            var series = data.Series[s];
            Check.NotNull(chart, series.Norms, $"series '{series.Model}' Norms");
            Check.NotEmpty(chart, series.Norms.Count, $"series '{series.Model}'");
            Check.LogScalable(chart, series.Model, series.Norms);
            if (data.Tokens is not null)
                Check.TokensMatchSteps(chart, data.Tokens, series.Norms.Count, $"series '{series.Model}'");
            longest = Math.Max(longest, series.Norms.Count);
            string color = Style.SeriesColor(s);
            int[] steps = Enumerable.Range(0, series.Norms.Count).ToArray();
            traces.Add(Figure.Trace("scatter")
                .With("x", steps).With("y", gaps.Series(series.Norms, logScale: true))
                .With("mode", series.Norms.Count <= 60 ? "lines+markers" : "lines")
                .With("name", series.Model)
                .With("line", new { color, width = 2 })
                .With("marker", new { color, size = 5 })
                .With("hovertemplate", $"{series.Model}<br>t = %{{x}}<br>%{{y:.3e}}<extra></extra>"));
            if (series.PredictedDecay is { } predicted)
            {
                Check.SameLength(chart, series.Norms.Count, predicted.Count, $"series '{series.Model}' PredictedDecay", "Norms");
                Check.LogScalable(chart, series.Model + " (predicted)", predicted);
                traces.Add(Figure.Trace("scatter")
                    .With("x", steps).With("y", gaps.Series(predicted, logScale: true))
                    .With("mode", "lines")
                    .With("name", series.Model + " (predicted)")
                    .With("line", new { color, width = 2, dash = "dash" })
                    .With("hovertemplate", $"{series.Model} predicted<br>t = %{{x}}<br>%{{y:.3e}}<extra></extra>"));
            }
        }

        var xAxis = Figure.Axis(data.XTitle);
        if (data.Tokens is not null) xAxis = TokenAxis.Apply(xAxis, data.Tokens);
        var layout = Style.BaseLayout(data.Title, height: 480, legend: true)
            .With("xaxis", xAxis)
            .With("yaxis", LogAxis(data.YTitle))
;
        return Figure.Chart(traces, layout, gaps);
    }

    /// <summary>A log-scale y axis with powers of ten as tick labels.</summary>
    internal static Plotly.NET.LayoutObjects.LinearAxis LogAxis(string title) =>
        Figure.Axis(title).With("type", "log").With("exponentformat", "power").With("showgrid", true);
}
