using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Nn;
using Spectre.Console;

namespace RnnLab.Cli.Commands;

/// <summary>
/// <c>rnnlab gradcheck</c>: gradient-checks every cell, layer and attention module on small random inputs,
/// through their inputs and every element of every parameter, and prints one table row each.
/// </summary>
public sealed class GradcheckCommand : Command
{
    public override string Name => "gradcheck";
    public override string Summary => "Gradient-check every cell, layer and attention module; print a table of errors.";
    public override string Help => """
        Usage: rnnlab gradcheck [--tolerance 1e-6] [--seed 0]

        For each component: central differences (h = 1e-6) on every element of its inputs and parameters,
        against the tape's gradient of a random weighted sum of its output. Relative error is
        |analytic − numeric| / max(1, |analytic|, |numeric|). Exit code 1 if any component fails.
        """;

    /// <summary>One component to check: its name, the module holding its parameters, its output as a function of its inputs, and the inputs.</summary>
    public sealed record Case(string Name, Module Module, Func<Tensor[], Tensor> Output, Tensor[] Inputs);

    public override int Run(Args args, CliConsole console)
    {
        double tolerance = args.Double("tolerance", 1e-6, min: 0);
        ulong seed = (ulong)args.Int("seed", 0, min: 0);
        args.EnsureAllUsed(maxPositional: 0);

        var cases = Cases(new Rng(seed));
        var table = new Table().AddColumns("component", "inputs: max rel err", "parameters: max rel err", "worst parameter", "result");
        bool allPassed = true;
        var results = console.WithProgress("gradient checks", report =>
        {
            var rows = new List<(Case Case, GradCheckResult Inputs, GradCheckResult? Parameters)>();
            for (int i = 0; i < cases.Count; i++)
            {
                report((double)i / cases.Count, cases[i].Name);
                var c = cases[i];
                var inputs = GradCheck.Check(c.Output, c.Inputs, seed);
                var parameters = c.Module.NamedParameters().Any()
                    ? GradCheck.CheckParameters(c.Module.NamedParameters(), () => c.Output(c.Inputs), seed)
                    : null;
                rows.Add((c, inputs, parameters));
            }
            return rows;
        });
        foreach (var (c, inputs, parameters) in results)
        {
            bool passed = inputs.Passed(tolerance) && (parameters?.Passed(tolerance) ?? true);
            allPassed &= passed;
            var worst = parameters?.Inputs.MaxBy(p => p.MaxRelError);
            table.AddRow(c.Name, Fmt(inputs.MaxRelError), parameters is null ? "(none)" : Fmt(parameters.MaxRelError), Markup.Escape(worst?.Name ?? "-"),
                         passed ? "[green]pass[/]" : "[red]FAIL[/]");
        }
        console.Ansi.Write(table);
        console.Out.WriteLine(allPassed
            ? $"All {results.Count} components passed at tolerance {Fmt(tolerance)}."
            : $"Some components FAILED at tolerance {Fmt(tolerance)}.");
        return allPassed ? 0 : 1;
    }

    private static string Fmt(double v) => v.ToString("E2", CultureInfo.InvariantCulture);

    /// <summary>The components, at sizes small enough to check every element in a few seconds.</summary>
    public static IReadOnlyList<Case> Cases(Rng rng)
    {
        const int T = 5, B = 2, I = 3, H = 4;
        Tensor N(params int[] shape) => Tensor.Normal(rng, 0, 1, shape);

        var rnnTanh = new RnnCell(I, H, rng);
        var rnnRelu = new RnnCell(I, H, rng, Nonlinearity.Relu);
        var lstmCell = new LstmCell(I, H, rng);
        var gruCell = new GruCell(I, H, rng);
        var rnn = new Rnn(I, H, rng, numLayers: 2);
        var lstm = new Lstm(I, H, rng, numLayers: 2, bidirectional: true);
        var gru = new Gru(I, H, rng, numLayers: 2, bidirectional: true);
        var additive = new AdditiveAttention(H, H, 5, rng);
        var general = new GeneralAttention(H, H, rng);
        var scaled = new ScaledDotAttention(H);
        var selfAttention = new MultiHeadSelfAttention(H, numHeads: 2, rng);
        var block = new TransformerEncoderBlock(H, numHeads: 2, feedForwardDim: 6, rng);
        var layerNorm = new LayerNorm(H);

        // Unrolls a cell over T steps through its carried state and stacks every h_t: [T, B, H].
        Tensor Unroll(Func<Tensor, Tensor?, Tensor> step, Tensor x, Tensor h0)
        {
            var hs = new List<Tensor>();
            Tensor h = h0;
            for (int t = 0; t < T; t++) hs.Add(h = step(x.Select(0, t), h));
            return Tensor.Stack(hs);
        }

        return
        [
            new("RnnCell (tanh), T=5", rnnTanh, x => Unroll((xt, h) => rnnTanh.Step(xt, h).H, x[0], x[1]), [N(T, B, I), N(B, H)]),
            new("RnnCell (relu), T=5", rnnRelu, x => Unroll((xt, h) => rnnRelu.Step(xt, h).H, x[0], x[1]), [N(T, B, I), N(B, H)]),
            new("LstmCell, T=5", lstmCell, x =>
            {
                var state = new LstmState(x[1], x[2]);
                var hs = new List<Tensor>();
                for (int t = 0; t < T; t++) { var s = lstmCell.Step(x[0].Select(0, t), state); state = s.State; hs.Add(s.H); hs.Add(s.C); }
                return Tensor.Stack(hs);
            }, [N(T, B, I), N(B, H), N(B, H)]),
            new("GruCell, T=5", gruCell, x => Unroll((xt, h) => gruCell.Step(xt, h).H, x[0], x[1]), [N(T, B, I), N(B, H)]),
            new("Rnn, 2 layers", rnn, x => rnn.Forward(x[0], x[1]).Output, [N(T, B, I), N(2, B, H)]),
            new("Lstm, 2 layers, bidirectional", lstm, x => lstm.Forward(x[0], x[1], x[2]).Output, [N(T, B, I), N(4, B, H), N(4, B, H)]),
            new("Gru, 2 layers, bidirectional", gru, x => gru.Forward(x[0], x[1]).Output, [N(T, B, I), N(4, B, H)]),
            new("AdditiveAttention (Bahdanau)", additive, x => additive.Forward(x[0], x[1]).Context, [N(B, H), N(B, T, H)]),
            new("GeneralAttention (Luong)", general, x => general.Forward(x[0], x[1]).Context, [N(B, H), N(B, T, H)]),
            new("ScaledDotAttention, padding mask", scaled,
                x => scaled.Forward(x[0], x[1], AttentionMask.Padding([T, 3], T)).Context, [N(B, H), N(B, T, H)]),
            new("MultiHeadSelfAttention, causal", selfAttention,
                x => selfAttention.Forward(x[0], AttentionMask.Causal(B, T)).Output, [N(B, T, H)]),
            new("TransformerEncoderBlock", block, x => block.Forward(x[0]).Output, [N(B, T, H)]),
            new("LayerNorm", layerNorm, x => layerNorm.Forward(x[0]), [N(B, T, H)]),
        ];
    }
}
