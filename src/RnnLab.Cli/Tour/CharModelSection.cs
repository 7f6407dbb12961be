using Stopwatch = System.Diagnostics.Stopwatch;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Plots;
using RnnLab.Plots.Html;
using RnnLab.Probes;
using RnnLab.Training;

namespace RnnLab.Cli.Tour;

/// <summary>
/// A character-level LSTM trained briefly on tiny Shakespeare: its loss curve against the no-memory (unigram)
/// baseline and samples at rising temperature; then samples from the LSTM trained ahead of time that ships with RnnLab
/// (<see cref="ShippedCharModel"/>), which writes far better than a minute of training can; then what that model
/// (or, when it is missing, the live one) does inside while reading a sentence: its gates and cell state, and one
/// unit's activation over the text, Karpathy-style.
/// </summary>
public static class CharModelSection
{
    public const string Sentence = "ROMEO:\nBut soft, what light through yonder window breaks?";

    /// <summary>Adds sections 3 and 4; returns false when the pre-trained model was not found at any of <paramref name="checkpointCandidates"/>.</summary>
    public static bool Add(Report report, TourBudget budget, ulong seed, Action<double, string> progress, IReadOnlyList<string> checkpointCandidates)
    {
        const int batch = 32, steps = 64;
        var corpus = TinyShakespeare.Load();
        int v = corpus.Vocabulary.Size;
        var model = new SequenceModel(RecurrentKind.Lstm, v, budget.CharHidden, v, new Rng(seed));
        var trainer = new Trainer(model, new Adam(model.Parameters(), learningRate: 2e-3),
            new TrainerOptions { ClipGradNorm = 5, Seed = seed });
        var validation = Enumerable.Range(0, 4)
            .Select(i => SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(corpus.Validation, batch, steps, new Rng(seed + 500 + (ulong)i)), v))
            .ToList();

        var train = new List<CurvePoint>();
        var valid = new List<CurvePoint> { new(0, trainer.Evaluate(validation).Loss) };
        var clock = Stopwatch.StartNew();
        int step = 0;
        while (step < budget.CharSteps && clock.Elapsed < budget.CharTime)
        {
            step++;
            var batchAt = LanguageModelBatches.RandomWindows(corpus.Train, batch, steps, new Rng(seed * 7_919 + (ulong)step));
            var (loss, _, failure) = trainer.TrainStep(SequenceBatch.FromTokens(batchAt, v), step);
            if (failure is not null) throw new RnnLabException("tour: the character model diverged: " + failure);
            train.Add(new CurvePoint(step, loss));
            if (step % 100 == 0) valid.Add(new CurvePoint(step, trainer.Evaluate(validation).Loss));
            progress(Math.Max(step / (double)budget.CharSteps, clock.Elapsed / budget.CharTime), $"step {step}, loss {loss:F2}");
        }
        double finalValidation = trainer.Evaluate(validation).Loss;
        valid.Add(new CurvePoint(step, finalValidation));

        report.AddHeading("3. A character model learns Shakespeare")
            .AddText($"""
                An LSTM with {budget.CharHidden} units reads tiny Shakespeare one character at a time and learns to predict the
                next one ({step} Adam steps of {batch}×{steps} characters, {clock.Elapsed.TotalSeconds:F0} s). The flat line is
                the best a model without memory can do: predicting each character from its overall frequency
                ({UnigramEntropy(corpus.Train, v):F2} nats per character). Everything below it is context being used.
                """)
            .AddChart(Charts.LossCurves(new LossCurveData(Thin(train), valid, UnigramEntropy(corpus.Train, v),
                "no-memory (unigram) baseline", "Character LSTM on tiny Shakespeare")),
                $"Validation loss after {step} steps: {finalValidation:F2} nats/char.");

        report.AddText($"""
                **Samples from the live model at rising temperature** (the {budget.CharHidden}-unit LSTM just trained, {step} steps).
                The model's next-character probabilities are sharpened (T < 1) or flattened (T > 1) before drawing: low
                temperatures repeat the safest patterns, high ones invent.
                """)
            .AddHtml(Samples(model, corpus.Vocabulary, new[] { 0.5, 0.8, 1.0, 1.3 }, 160, seed));

        var pretrained = AddPretrainedSamples(report, checkpointCandidates, validation, step, finalValidation, seed);
        var (inside, insideVocabulary) = pretrained is null ? (model, corpus.Vocabulary) : (pretrained.Model, pretrained.Vocabulary);
        string which = pretrained is null ? $"The live {budget.CharHidden}-unit LSTM" : $"The pre-trained {pretrained.Model.HiddenSize}-unit LSTM";

        var trace = Probe.Run(inside, Sentence, insideVocabulary);
        report.AddHeading("4. Inside the LSTM: gates and cell state along a sentence")
            .AddText($"""
                {which} reads a line of Romeo's. Each panel is one gate over time (rows are units, columns are the
                characters read): the **input gate** i decides how much to write, the **forget gate** f how much of the
                cell state c to keep, the **candidate** g what to write, the **output gate** o how much of c to show as h.
                Gates live in 0..1; g, c and h in −1..1 (red positive, blue negative).
                """)
            .AddChart(Charts.GateActivations(TraceData.Gates(trace)))
            .AddChart(Charts.HiddenStateHeatmap(TraceData.HiddenStates(trace)));

        int unit = MostVariedUnit(trace);
        var labels = insideVocabulary.Symbols.Select(c => c.ToString()).ToList();
        report.AddText($"""
                **One neuron, read like Karpathy's.** Unit {unit} of the same model (the one whose activation varies most on
                this line) colours each character by its value after reading it (red positive, blue negative). Hover over a
                character to see the model's top-5 guesses for the next one.
                """)
            .AddHtml(NeuronText.ToHtml(TraceData.NeuronText(trace, unit, labels)));
        return pretrained is not null;
    }

    /// <summary>
    /// Samples from the character model trained ahead of time, with its validation loss beside the live model's on the
    /// same windows; or, when it is at none of <paramref name="candidates"/>, a note saying where it was looked for.
    /// Returns the loaded model, or null.
    /// </summary>
    internal static ModelFile.CharModel? AddPretrainedSamples(Report report, IReadOnlyList<string> candidates,
                                                             IReadOnlyList<SequenceBatch> validation, int liveSteps, double liveValidation, ulong seed)
    {
        string? path = ShippedCharModel.Find(candidates);
        if (path is null)
        {
            report.AddText($"""
                **The model trained ahead of time was not found**, so there are no pre-trained samples here (the samples
                above come from the minute of live training only). Looked for `{ShippedCharModel.FileName}` at:
                {string.Join(Environment.NewLine, candidates.Select(c => $"- `{c}`"))}

                It is in `notebooks/checkpoints/` of the RnnLab repository; run the tour from inside a clone, or rebuild the
                `rnnlab` command, which copies it beside the program.
                """);
            return null;
        }
        var pretrained = ModelFile.LoadCharModel(path);
        double loss = new Trainer(pretrained.Model, new Adam(pretrained.Model.Parameters(), learningRate: 0)).Evaluate(validation).Loss;
        string steps = pretrained.Metadata.GetValueOrDefault("step", "?");
        report.AddText($"""
                **Samples from the model trained ahead of time.** `{ShippedCharModel.FileName}` ships with RnnLab: an LSTM
                with {pretrained.Model.HiddenSize} units trained by `rnnlab train char-lm` for {steps} steps (the command is in
                `notebooks/checkpoints/README.md`). On the same validation windows it scores **{loss:F2} nats/char**, against
                {liveValidation:F2} for the live model after its {liveSteps} steps, and it writes accordingly: speakers' names,
                line breaks and speeches, and at low temperature mostly real words.
                """)
            .AddHtml(Samples(pretrained.Model, pretrained.Vocabulary, new[] { 0.5, 0.8, 1.0 }, 300, seed));
        return pretrained;
    }

    private static string Samples(SequenceModel model, CharVocabulary vocabulary, double[] temperatures, int length, ulong seed)
    {
        var html = new System.Text.StringBuilder();
        foreach (double temperature in temperatures)
        {
            string text = Sampler.Sample(model, vocabulary, "ROMEO:", length, temperature, new Rng(seed + 11));
            html.Append($"<h4>temperature {temperature}</h4><pre class=\"sample\" style=\"white-space:pre-wrap\">ROMEO:{System.Net.WebUtility.HtmlEncode(text)}</pre>");
        }
        return html.ToString();
    }

    /// <summary>Entropy of the training text's character frequencies: the loss of the best model with no memory.</summary>
    public static double UnigramEntropy(int[] tokens, int vocabularySize)
    {
        var counts = new double[vocabularySize];
        foreach (int t in tokens) counts[t]++;
        return -counts.Where(c => c > 0).Sum(c => c / tokens.Length * Math.Log(c / tokens.Length));
    }

    private static List<CurvePoint> Thin(List<CurvePoint> points) =>
        points.Where((_, i) => points.Count <= 300 || i % (points.Count / 300 + 1) == 0).ToList();

    private static int MostVariedUnit(Trace trace)
    {
        var h = trace.LastLayer().H;   // [T][B][H]
        int best = 0;
        double bestVariance = -1;
        for (int u = 0; u < trace.HiddenSize; u++)
        {
            double mean = h.Average(step => step[0][u]);
            double variance = h.Average(step => (step[0][u] - mean) * (step[0][u] - mean));
            if (variance > bestVariance) { bestVariance = variance; best = u; }
        }
        return best;
    }
}
