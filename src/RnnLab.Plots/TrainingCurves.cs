using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>A value recorded at one optimiser step.</summary>
public sealed record CurvePoint(int Step, double Value);

/// <param name="Train">Training loss per step (or per logging interval).</param>
/// <param name="Validation">Validation loss at the steps it was measured; null for none.</param>
/// <param name="Baseline">The loss of a model with no memory (e.g. unigram entropy), drawn as a flat line; null for none.</param>
public sealed record LossCurveData(
    IReadOnlyList<CurvePoint> Train,
    IReadOnlyList<CurvePoint>? Validation = null,
    double? Baseline = null,
    string BaselineLabel = "no-memory baseline",
    string Title = "Loss during training",
    string YTitle = "cross-entropy loss (nats)");

/// <param name="Norms">Global gradient norm (before clipping) per step.</param>
/// <param name="ClipThreshold">The clipping threshold, drawn as a flat line; null for none.</param>
public sealed record GradNormHistoryData(
    IReadOnlyList<CurvePoint> Norms,
    double? ClipThreshold = null,
    string Title = "Gradient norm during training",
    string YTitle = "‖∇θ L‖ before clipping");

public static partial class Charts
{
    /// <summary>
    /// Training curves: training and validation loss over steps, and the loss a model with no
    /// memory would reach. A curve that never goes below the baseline has learned nothing about context.
    /// </summary>
    public static GenericChart LossCurves(LossCurveData data)
    {
        const string chart = nameof(LossCurves);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Train, "Train");
        Check.NotEmpty(chart, data.Train.Count, "the training-loss curve");
        var gaps = new Gaps();
        var traces = new List<Trace> { Curve(gaps, "train", data.Train, Style.SeriesColor(0), logScale: false) };
        if (data.Validation is { Count: > 0 } validation)
            traces.Add(Curve(gaps, "validation", validation, Style.SeriesColor(1), logScale: false));
        if (data.Baseline is { } baseline)
        {
            if (!double.IsFinite(baseline)) throw new RnnLabException($"{chart}: Baseline is {baseline}; pass a finite loss or null.");
            traces.Add(FlatLine(data.BaselineLabel, baseline, StepRange(data.Train, data.Validation), "#555555"));
        }
        var layout = Style.BaseLayout(data.Title, height: 440, legend: true)
            .With("xaxis", Figure.Axis("optimiser step"))
            .With("yaxis", Figure.Axis(data.YTitle));
        return Figure.Chart(traces, layout, gaps);
    }

    /// <summary>
    /// Gradient norm over training on a log axis, with the clipping threshold: every point above
    /// the line was scaled down to it before the update.
    /// </summary>
    public static GenericChart GradNormHistory(GradNormHistoryData data)
    {
        const string chart = nameof(GradNormHistory);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Norms, "Norms");
        Check.NotEmpty(chart, data.Norms.Count, "the gradient-norm history");
        Check.LogScalable(chart, "gradient norm", data.Norms.Select(p => p.Value).ToArray());
        var gaps = new Gaps();
        var traces = new List<Trace> { Curve(gaps, "gradient norm", data.Norms, Style.SeriesColor(0), logScale: true) };
        if (data.ClipThreshold is { } clip)
        {
            if (!(clip > 0 && double.IsFinite(clip)))
                throw new RnnLabException($"{chart}: ClipThreshold is {clip}; a clipping threshold must be positive and finite.");
            int clipped = data.Norms.Count(p => p.Value > clip);
            traces.Add(FlatLine($"clip threshold {clip:g4} ({clipped} of {data.Norms.Count} steps clipped)", clip, StepRange(data.Norms, null), "#D55E00"));
        }
        var layout = Style.BaseLayout(data.Title, height: 440, legend: true)
            .With("xaxis", Figure.Axis("optimiser step"))
            .With("yaxis", LogAxis(data.YTitle));
        return Figure.Chart(traces, layout, gaps);
    }

    private static Trace Curve(Gaps gaps, string name, IReadOnlyList<CurvePoint> points, string color, bool logScale) =>
        Figure.Trace("scatter")
            .With("x", points.Select(p => p.Step).ToArray())
            .With("y", gaps.Series(points.Select(p => p.Value).ToArray(), logScale))
            .With("mode", points.Count <= 40 ? "lines+markers" : "lines")
            .With("name", name)
            .With("line", new { color, width = 2 })
            .With("marker", new { color, size = 5 })
            .With("hovertemplate", $"{name}<br>step %{{x}}<br>%{{y:.4g}}<extra></extra>");

    /// <summary>A horizontal line drawn as a trace (not a shape) so it has a legend entry and a hover label.</summary>
    private static Trace FlatLine(string name, double y, (int First, int Last) steps, string color) =>
        Figure.Trace("scatter")
            .With("x", new[] { steps.First, steps.Last }).With("y", new[] { y, y })
            .With("mode", "lines").With("name", name)
            .With("line", new { color, width = 2, dash = "dash" })
            .With("hovertemplate", $"{name}: %{{y:.4g}}<extra></extra>");

    private static (int, int) StepRange(IReadOnlyList<CurvePoint> a, IReadOnlyList<CurvePoint>? b)
    {
        var all = b is null ? a : a.Concat(b).ToArray();
        return (all.Min(p => p.Step), all.Max(p => p.Step));
    }
}
