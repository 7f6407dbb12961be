using RnnLab.Nn;
using RnnLab.Plots;
using RnnLab.Plots.Html;

namespace RnnLab.Cli.Tour;

/// <summary>
/// A GRU encoder–decoder with additive (Bahdanau) attention, trained briefly to translate human-written dates to
/// ISO form; the alignment heatmap shows where the decoder looked for each character it wrote.
/// </summary>
public static class AttentionSection
{
    public static void Add(Report report, TourBudget budget, ulong seed, Action<double, string> progress)
    {
        var options = new DateTrainingOptions { MaxSteps = budget.DateSteps, TimeBudget = budget.DateTime, Seed = seed + 3 };
        var result = DateTranslationTrainer.Train(options, new Progress<DateTrainingProgress>(p =>
            progress(Math.Max(p.Step / (double)budget.DateSteps, p.Elapsed / budget.DateTime), $"step {p.Step}, loss {p.Loss:F2}")));
        var example = DateTranslationTrainer.Translate(result.Model, "Saturday, 28 November 2026");

        report.AddHeading("6. Attention: looking back instead of remembering everything")
            .AddText($"""
                A plain encoder–decoder must squeeze the whole input into one final state. With **attention** the decoder
                scores every encoder state at each output step and reads their weighted average, so it can look back.
                This GRU encoder–decoder with additive attention (Bahdanau et al. 2014) learned to rewrite dates in ISO
                form in {result.Steps} steps ({result.Elapsed.TotalSeconds:F0} s; held-out exact match {result.HeldOutAccuracy:P0}).
                Each row is one character it wrote; the bright cells are the input characters it read for it: the
                year digits look at the year, the month at the month name.
                """);
        if (example.Attention is { } map)
            report.AddChart(Charts.AttentionHeatmap(TraceData.Attention(map)),
                $"Input \"{example.Source}\" → output \"{example.Output}\" (expected {example.Expected}).");
    }
}
