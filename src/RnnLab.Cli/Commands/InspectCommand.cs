using System.Globalization;
using RnnLab.Plots;
using RnnLab.Plots.Html;
using RnnLab.Probes;
using Spectre.Console;

namespace RnnLab.Cli.Commands;

/// <summary>
/// <c>rnnlab inspect</c>: runs a character model over a text and reports, per time step and layer, h_t, c_t, every gate,
/// the top predictions, the per-step loss and ‖∂L/∂h_t‖ (L = mean cross-entropy over the text).
/// </summary>
public sealed class InspectCommand : Command
{
    public override string Name => "inspect";
    public override string Summary => "Run a character model over a text; report states, gates, predictions and gradients.";
    public override string Help => """
        Usage: rnnlab inspect <checkpoint> --text TEXT [--json FILE | --html FILE]

          --text TEXT    the text the model reads (at least 2 characters: it reads all but the last, predicts all but the first)
          --json FILE    write the full trace as JSON (schema rnnlab.trace v1, see src/RnnLab/Probes/TRACE_SCHEMA.md)
          --html FILE    write an offline HTML page of charts (states, gates, gradient norms, one neuron's activation)
        Without --json or --html: a table per time step on the console.

        The checkpoint may come from 'rnnlab train char-lm' or from PyTorch (see the README: rnn.* + head.* tensors,
        'vocabulary' and 'cell' in __metadata__).
        """;

    public override int Run(Args args, CliConsole console)
    {
        string text = args.String("text") ?? throw new UsageException("--text is required: the text for the model to read");
        string? json = args.String("json"), html = args.String("html");
        args.EnsureAllUsed(maxPositional: 1);
        if (json is not null && html is not null) throw new UsageException("give --json or --html, not both");
        string path = args.Positional.Count == 1 ? args.Positional[0] : throw new UsageException("give the checkpoint to inspect");
        if (text.Length < 2) throw new UsageException("--text needs at least 2 characters");

        var m = ModelFile.LoadCharModel(path);
        var trace = Probe.Run(m.Model, text, m.Vocabulary);
        if (json is not null)
        {
            TraceJson.Save(trace, json, indented: true);
            console.Out.WriteLine($"Trace ({trace.Steps} steps, {trace.Layers.Length} layer(s)) written to {Path.GetFullPath(json)}");
        }
        else if (html is not null)
        {
            Page(trace, m, text).Save(html);
            console.Out.WriteLine($"Report written to {Path.GetFullPath(html)}");
        }
        else PrintTable(trace, m, console);
        return 0;
    }

    private static Report Page(Trace trace, ModelFile.CharModel m, string text)
    {
        var labels = m.Vocabulary.Symbols.Select(c => c.ToString()).ToList();
        var report = new Report($"rnnlab inspect: {ModelFile.Describe(m)}")
            .AddText($"The model read `{text[..^1]}` and predicted each next character. Mean cross-entropy L = {trace.Loss:F3} nats/char.")
            .AddHeading("Hidden state").AddChart(Charts.HiddenStateHeatmap(TraceData.HiddenStates(trace)));
        if (trace.Layers[^1].Gates.Length > 0)
            report.AddHeading("Gates").AddChart(Charts.GateActivations(TraceData.Gates(trace)));
        report.AddHeading("Gradient magnitude ‖∂L/∂hₜ‖")
            .AddChart(Charts.GradientNorms(new GradientNormData([TraceData.GradientNorms(m.Model.Kind.ToString(), trace)], trace.Tokens)))
            .AddHeading("Step through time")
            .AddChart(Charts.TimeScrubber(TraceData.Scrubber(trace)));
        for (int unit = 0; unit < Math.Min(3, trace.HiddenSize); unit++)
            report.AddHtml(NeuronText.ToHtml(TraceData.NeuronText(trace, unit, labels)));
        return report;
    }

    private static void PrintTable(Trace trace, ModelFile.CharModel m, CliConsole console)
    {
        console.Out.WriteLine($"{ModelFile.Describe(m)}; mean cross-entropy L = {trace.Loss?.ToString("F3", CultureInfo.InvariantCulture)} nats/char");
        var last = trace.LastLayer();
        var table = new Table().AddColumns("t", "reads", "next", "loss", "top predictions", "‖∂L/∂hₜ‖", "mean h", "gates (mean)");
        for (int t = 0; t < trace.Steps; t++)
        {
            var p = trace.Probabilities![t][0];
            string top = string.Join("  ", p.Select((q, i) => (q, i)).OrderByDescending(x => x.q).Take(3)
                .Select(x => $"{Show(m.Vocabulary[x.i].ToString())} {x.q:F2}"));
            string gates = string.Join(" ", last.Gates.Select(g => $"{g.Name}={g.Values[t][0].Average():F2}"));
            table.AddRow(t.ToString(CultureInfo.InvariantCulture), Markup.Escape(Show(trace.Tokens![t])),
                Markup.Escape(Show(m.Vocabulary[trace.Targets![t][0]].ToString())),
                (trace.StepLoss?[t] ?? double.NaN).ToString("F2", CultureInfo.InvariantCulture), Markup.Escape(top),
                (last.HGradNorm?[t] ?? double.NaN).ToString("E2", CultureInfo.InvariantCulture),
                last.H[t][0].Average().ToString("F3", CultureInfo.InvariantCulture), gates);
        }
        console.Ansi.Write(table);
    }

    private static string Show(string token) => token switch { "\n" => "\\n", " " => "␣", "\t" => "\\t", _ => token };
}
