using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Data.Tasks;
using RnnLab.Nn;
using RnnLab.Plots;
using RnnLab.Plots.Html;
using RnnLab.Training;

namespace RnnLab.Cli.Tour;

/// <summary>
/// RNN vs LSTM vs GRU trained on delayed recall (remember the first symbol across distractors), with the loss of a
/// model that has no memory drawn as a line: a curve that never goes below it has learned nothing about the past.
/// </summary>
public static class MemoryTaskSection
{
    public static void Add(Report report, TourBudget budget, ulong seed, Action<double, string> progress)
    {
        const int symbols = 8, hidden = 32, batch = 32;
        var task = new DelayedRecall(symbols, budget.MemoryDistance);
        var kinds = new[] { RecurrentKind.RnnTanh, RecurrentKind.Lstm, RecurrentKind.Gru };
        var curves = new List<(string Name, List<CurvePoint> Loss, double Accuracy)>();
        for (int k = 0; k < kinds.Length; k++)
        {
            var model = new SequenceModel(kinds[k], task.VocabularySize, hidden, symbols, new Rng(seed));
            var trainer = new Trainer(model, new Adam(model.Parameters(), learningRate: 1e-2),
                new TrainerOptions { ClipGradNorm = 5, ReportEvery = 10, Seed = seed });
            var eval = new[] { Batch(task, batch * 4, new Rng(seed + 99)) };
            var losses = new List<CurvePoint>();
            var result = trainer.Fit(step => Batch(task, batch, new Rng(seed * 1_000_003 + (ulong)step)), budget.MemorySteps, eval);
            for (int s = 0; s < result.Losses.Count; s += 5) losses.Add(new CurvePoint(s + 1, result.Losses[s]));
            curves.Add((Name(kinds[k]), losses, result.FinalEvaluation?.Accuracy ?? double.NaN));
            progress((k + 1) / (double)kinds.Length, Name(kinds[k]));
        }

        report.AddHeading("5. Memory: who remembers across distractors?")
            .AddText($"""
                The **delayed recall** task: see one of {symbols} symbols, then {budget.MemoryDistance} random distractors, then
                a query; answer with the first symbol. Without memory the best you can do is guess: cross-entropy
                log {symbols} = {Math.Log(symbols):F2} nats, accuracy 1/{symbols}. All three networks have {hidden} units and
                the same training ({budget.MemorySteps} Adam steps).
                """);
        foreach (var (name, loss, accuracy) in curves)
            report.AddChart(Charts.LossCurves(new LossCurveData(loss, Baseline: task.Baseline.Value,
                Title: $"{name} on delayed recall (distance {budget.MemoryDistance})")),
                $"{name}: held-out accuracy {accuracy:P0} (chance {1.0 / symbols:P0}).");
    }

    // Only the answer step is scored: the other steps' targets are the padding index.
    private static SequenceBatch Batch(DelayedRecall task, int batchSize, Rng rng) =>
        SequenceBatch.FromTokens(task.Sample(batchSize, rng), task.VocabularySize);

    private static string Name(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => "LSTM",
        RecurrentKind.Gru => "GRU",
        _ => "RNN (tanh)",
    };
}
