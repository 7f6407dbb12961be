using Plotly.NET;
using RnnLab.Nn;

namespace RnnLab.Plots;

/// <summary>One named curve of a <see cref="CurveComparisonData"/>.</summary>
public sealed record NamedCurve(string Name, IReadOnlyList<CurvePoint> Points);

/// <param name="Curves">One curve per model, overlaid in the series colours.</param>
/// <param name="Baseline">What a model without memory reaches (e.g. chance accuracy), drawn dashed; null for none.</param>
public sealed record CurveComparisonData(
    IReadOnlyList<NamedCurve> Curves,
    double? Baseline = null,
    string BaselineLabel = "no-memory baseline",
    string Title = "Training curves",
    string YTitle = "value");

public static partial class Charts
{
    /// <summary>Several models' curves over optimiser steps on one chart, with the no-memory baseline dashed.</summary>
    public static GenericChart CurveComparison(CurveComparisonData data)
    {
        const string chart = nameof(CurveComparison);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Curves, "Curves");
        Check.NotEmpty(chart, data.Curves.Count, "the curve list");
        var gaps = new Gaps();
        var traces = new List<Trace>();
        for (int s = 0; s < data.Curves.Count; s++)
        {
            var curve = data.Curves[s];
            Check.NotNull(chart, curve?.Points, $"curve {s} Points");
            Check.NotEmpty(chart, curve!.Points.Count, $"curve '{curve.Name}'");
            traces.Add(Curve(gaps, curve.Name, curve.Points, Style.SeriesColor(s), logScale: false));
        }
        if (data.Baseline is { } baseline)
        {
            if (!double.IsFinite(baseline)) throw new RnnLabException($"{chart}: Baseline is {baseline}; pass a finite value or null.");
            var all = data.Curves.SelectMany(c => c.Points).ToArray();
            traces.Add(FlatLine(data.BaselineLabel, baseline, (all.Min(p => p.Step), all.Max(p => p.Step)), "#555555"));
        }
        var layout = Style.BaseLayout(data.Title, height: 440, legend: true)
            .With("xaxis", Figure.Axis("optimiser step"))
            .With("yaxis", Figure.Axis(data.YTitle));
        return Figure.Chart(traces, layout, gaps);
    }

    /// <summary>
    /// <see cref="RecallRace"/>: each model's held-out accuracy along training, with chance (1/K, what a model without
    /// memory gets) dashed.
    /// </summary>
    public static GenericChart RecallRaceAccuracy(RecallRaceResult race)
    {
        ArgumentNullException.ThrowIfNull(race);
        var o = race.Options;
        return CurveComparison(new CurveComparisonData(
            race.Runs.Select(r => new NamedCurve(r.Name, r.Accuracy.Select(a => new CurvePoint(a.Step, a.Accuracy)).ToArray())).ToArray(),
            race.ChanceAccuracy, $"no memory: chance 1/{o.Symbols}",
            $"Delayed recall over {o.Distractors} distractors: held-out accuracy", "accuracy at the query"));
    }

    /// <summary>
    /// <see cref="RecallRace"/>: each model's training loss at the query (mean of the last <see cref="RecallRace.LossWindow"/>
    /// steps, which smooths the batch-to-batch noise), with the no-memory loss log K dashed.
    /// </summary>
    public static GenericChart RecallRaceLoss(RecallRaceResult race)
    {
        ArgumentNullException.ThrowIfNull(race);
        var o = race.Options;
        return CurveComparison(new CurveComparisonData(
            race.Runs.Select(r => new NamedCurve(r.Name, RunningMean(r.Losses, RecallRace.LossWindow))).ToArray(),
            race.BaselineLoss, $"no memory: log {o.Symbols} = {race.BaselineLoss:F2}",
            $"Delayed recall over {o.Distractors} distractors: training loss (mean of the last {RecallRace.LossWindow} steps)",
            "cross-entropy at the query (nats)"));
    }

    // (step, mean of losses[step − window … step − 1]) for every step from window on; every step when fewer.
    private static CurvePoint[] RunningMean(IReadOnlyList<double> losses, int window)
    {
        int w = Math.Min(window, losses.Count);
        var points = new List<CurvePoint>();
        double sum = 0;
        for (int t = 0; t < losses.Count; t++)
        {
            sum += losses[t];
            if (t >= w) sum -= losses[t - w];
            if (t >= w - 1) points.Add(new CurvePoint(t + 1, sum / w));
        }
        return points.ToArray();
    }

    /// <summary>
    /// <see cref="RecallRace"/>: ‖∂L/∂xₜ‖ of each untrained model, on a log axis: how much gradient the answer's loss sends
    /// back to each input step. Step 0 is the symbol to remember; the last step is the query.
    /// </summary>
    public static GenericChart RecallRaceGradients(RecallRaceResult race)
    {
        ArgumentNullException.ThrowIfNull(race);
        return GradientNorms(new GradientNormData(
            race.Runs.Select(r => new GradientNormSeries(r.Name, r.InputGradientAtStart)).ToArray(),
            Title: "Before training: gradient of the answer's loss reaching each input",
            YTitle: "‖∂L/∂xₜ‖", XTitle: "input step t (0: the symbol to remember; last: the query)"));
    }
}
