using System.Globalization;
using RnnLab.Nn;
using RnnLab.Plots;
using RnnLab.Plots.Html;

namespace RnnLab.Cli.Tour;

/// <summary>
/// RNN vs LSTM vs GRU on delayed recall (remember the first symbol across noise): the race of lesson 04
/// (<see cref="RecallRace"/>), its accuracy and loss against the no-memory baseline, and the gradient that reaches the
/// symbol before training. Every sentence is built from the numbers of this run.
/// </summary>
public static class MemoryTaskSection
{
    public static void Add(Report report, TourBudget budget, ulong seed, Action<double, string> progress)
    {
        var options = new RecallRaceOptions { Distractors = budget.MemoryDistance, TrainingSteps = budget.MemorySteps, Seed = seed };
        int done = 0;
        var race = RecallRace.Run(options, new InlineProgress(message => progress(++done / (double)options.Kinds.Count, message)));
        var o = race.Options;

        report.AddHeading("5. Memory: who remembers across distractors?")
            .AddText(Invariant($"""
                The **delayed recall** task: see one of {o.Symbols} symbols, then {o.Distractors} distractors drawn from
                {o.NoiseSymbols} other tokens, then a query; answer with the first symbol. Without memory the best you can do
                is guess: cross-entropy log {o.Symbols} = {race.BaselineLoss:F2} nats, accuracy 1/{o.Symbols}. A tanh RNN, an
                LSTM and a GRU with {o.HiddenSize} units each train on the same batches of {o.BatchSize} with the same Adam
                (learning rate {o.LearningRate:G3}, gradient norm clipped at {o.ClipGradNorm:G3}), for at most {o.TrainingSteps}
                steps; a model stops once it gets {o.StopAtAccuracy:P0} of the held-out sequences right. The LSTM's forget gate
                and the GRU's update gate start with bias {o.KeepGateBias:G3}, so both keep their state by default.
                """))
            .AddChart(Charts.RecallRaceAccuracy(race), AccuracyCaption(race))
            .AddChart(Charts.RecallRaceLoss(race),
                Invariant($"The same race as loss: a curve on the dashed line at log {o.Symbols} has learned nothing about the first symbol."))
            .AddChart(Charts.RecallRaceGradients(race), GradientCaption(race));
    }

    // One clause per model from its numbers, then the comparison only if the numbers make it.
    private static string AccuracyCaption(RecallRaceResult race)
    {
        var clauses = race.Runs.Select(r => Invariant(
            $"{r.Name}: {r.FinalAccuracy:P0} after {r.StepsTrained} steps ({race.Verdict(r)}{(r.LeftPlateauAt is int s ? $"; left the plateau at step {s}" : "")})"));
        string text = string.Join(". ", clauses) + ".";
        var rnn = race.Runs.FirstOrDefault(r => r.Kind == RecurrentKind.RnnTanh);
        var gated = race.Runs.Where(r => r.Kind is RecurrentKind.Lstm or RecurrentKind.Gru).ToArray();
        if (rnn is not null && race.Verdict(rnn) == "stayed at chance" && gated.Length > 0 && gated.All(r => race.Verdict(r) == "learned it"))
            text += Invariant($" Same size, same data, same optimiser: only the gated cells carried the symbol across {race.Options.Distractors} steps.");
        return text;
    }

    private static string GradientCaption(RecallRaceResult race)
    {
        string cue = string.Join(", ", race.Runs.Select(r => Invariant($"{r.Name} {r.CueGradientAtStart:0.0E+0}")));
        string text = Invariant($"Before training, the gradient that the answer's loss sends back to the symbol (t = 0): {cue}.");
        var rnn = race.Runs.FirstOrDefault(r => r.Kind == RecurrentKind.RnnTanh);
        if (rnn is not null && race.Runs.Any(r => r.Kind != RecurrentKind.RnnTanh && r.CueGradientAtStart > 1e3 * rnn.CueGradientAtStart))
            text += " The RNN's gradient shrinks by a roughly constant factor at every step back (the decay of section 1), " +
                    "so at the symbol almost nothing is left to learn from; the gated cells' gates near 1 carry it across.";
        return text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class InlineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
