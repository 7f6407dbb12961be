using RnnLab.Nn;
using RnnLab.Plots.Html;
using RnnLab.Probes;

namespace RnnLab.Plots;

/// <summary>
/// Chart data from what the probes recorded (<see cref="Trace"/>, <see cref="AttentionMap"/>): picks one
/// sequence of the batch and one layer, and lays the [T][B][H] arrays out as the charts want them ([H, T]).
/// <code>
/// Trace trace = Probe.Run(model, "hello world", vocabulary);
/// var chart = Charts.GateActivations(TraceData.Gates(trace));
/// </code>
/// </summary>
public static class TraceData
{
    /// <summary>h_t of one layer (default: the last) for sequence <paramref name="sequence"/> of the batch.</summary>
    public static StateHeatmapData HiddenStates(Trace trace, int sequence = 0, int? layer = null, bool reverse = false)
    {
        var l = PickLayer(trace, sequence, layer, reverse);
        return new StateHeatmapData(UnitsByTime(l.H, sequence), Tokens(trace), $"Hidden state hₜ over time (layer {l.Layer}{(l.Reverse ? ", reverse" : "")})");
    }

    /// <summary>LSTM i, f, g, o and the cell state c, or GRU r, z, n. A vanilla RNN has no gates: that is an error.</summary>
    public static GateActivationData Gates(Trace trace, int sequence = 0, int? layer = null, bool reverse = false)
    {
        var l = PickLayer(trace, sequence, layer, reverse);
        return new GateActivationData(GateSeriesOf(trace.Kind, l, sequence)
            ?? throw new RnnLabException("TraceData.Gates: this trace is of a vanilla RNN, which has no gates; probe an LSTM or GRU."),
            Tokens(trace), $"{CellName(trace.Kind)} gate activations over time");
    }

    /// <summary>‖∂L/∂h_t‖ per step of one layer, named <paramref name="model"/>, for overlaying several models.</summary>
    public static GradientNormSeries GradientNorms(string model, Trace trace, IReadOnlyList<double>? predictedDecay = null, int? layer = null, bool reverse = false)
    {
        var l = PickLayer(trace, 0, layer, reverse);
        return new GradientNormSeries(model, l.HGradNorm
            ?? throw new RnnLabException("TraceData.GradientNorms: the trace has no gradient norms; run the probe with a loss (a forward-only trace has none)."),
            predictedDecay);
    }

    /// <summary>Hidden state, gates (if the cell has any) and, optionally, the attention row of every step.</summary>
    public static ScrubberData Scrubber(Trace trace, int sequence = 0, AttentionMap? attention = null, int? layer = null)
    {
        var l = PickLayer(trace, sequence, layer, reverse: false);
        double[,]? weights = null;
        IReadOnlyList<string>? sources = null;
        if (attention is not null)
        {
            var data = Attention(attention);
            weights = data.Weights;
            sources = data.SourceTokens;
        }
        return new ScrubberData(Tokens(trace), UnitsByTime(l.H, sequence), GateSeriesOf(trace.Kind, l, sequence), weights, sources,
            $"{CellName(trace.Kind)}, step through time");
    }

    /// <summary>The cell's name as the lessons write it, for titles: RNN, LSTM, GRU.</summary>
    private static string CellName(CellKind kind) => kind switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" };

    /// <summary>An attention map as chart data (keys are the source, queries the target).</summary>
    public static AttentionData Attention(AttentionMap map)
    {
        Check.NotNull("TraceData.Attention", map, "the attention map");
        int queries = map.Queries, keys = map.Keys;
        var weights = new double[queries, keys];                          // [target, source]
        for (int q = 0; q < queries; q++)
        {
            if (map.Weights[q].Length != keys)
                throw new RnnLabException($"TraceData.Attention: row {q} of '{map.Name}' has {map.Weights[q].Length} weights, row 0 has {keys}; the map must be rectangular.");
            for (int k = 0; k < keys; k++) weights[q, k] = map.Weights[q][k];
        }
        return new AttentionData(weights,
            map.KeyLabels ?? Enumerable.Range(0, keys).Select(k => k.ToString()).ToArray(),
            map.QueryLabels ?? Enumerable.Range(0, queries).Select(q => q.ToString()).ToArray(),
            $"Attention alignment: {map.Name}");
    }

    /// <summary>
    /// One unit's activation over the text, with the model's top next-symbol predictions per step
    /// (from the trace's probabilities; <paramref name="outputLabels"/> names each output class, e.g. the vocabulary's symbols).
    /// </summary>
    public static NeuronTextData NeuronText(Trace trace, int unit, IReadOnlyList<string>? outputLabels = null, int sequence = 0, int? layer = null)
    {
        var l = PickLayer(trace, sequence, layer, reverse: false);
        if (unit < 0 || unit >= trace.HiddenSize)
            throw new RnnLabException($"TraceData.NeuronText: unit {unit} is outside 0..{trace.HiddenSize - 1} (H = {trace.HiddenSize}).");
        double[] activations = l.H.Select(step => step[sequence][unit]).ToArray();
        IReadOnlyList<IReadOnlyList<Prediction>>? predictions = null;
        if (trace.Probabilities is { } probabilities && outputLabels is not null)
        {
            int classes = probabilities[0][sequence].Length;
            if (outputLabels.Count != classes)
                throw new RnnLabException($"TraceData.NeuronText: {outputLabels.Count} output labels for {classes} output classes; pass one label per class (the vocabulary's symbols).");
            predictions = probabilities.Select(step => (IReadOnlyList<Prediction>)step[sequence]
                .Select((p, c) => new Prediction(outputLabels[c], p))
                .OrderByDescending(p => p.Probability).Take(Html.NeuronText.TopK).ToArray()).ToArray();
        }
        return new NeuronTextData(Tokens(trace), activations, predictions, $"Unit {unit} of layer {l.Layer} ({trace.Kind}) reading the text");
    }

    private static LayerTrace PickLayer(Trace trace, int sequence, int? layer, bool reverse)
    {
        Check.NotNull("TraceData", trace, "the trace");
        if (trace.Steps == 0) throw new RnnLabException("TraceData: the trace has no time steps; there is nothing to draw.");
        if (sequence < 0 || sequence >= trace.Batch)
            throw new RnnLabException($"TraceData: sequence {sequence} is outside the batch 0..{trace.Batch - 1}.");
        return layer is { } index ? trace.Layer(index, reverse) : reverse ? trace.Layer(trace.Layers.Max(l => l.Layer), true) : trace.LastLayer();
    }

    private static IReadOnlyList<string> Tokens(Trace trace) =>
        trace.Tokens ?? Enumerable.Range(0, trace.Steps).Select(t => t.ToString()).ToArray();

    private static IReadOnlyList<GateSeries>? GateSeriesOf(CellKind kind, LayerTrace layer, int sequence)
    {
        double[,] G(string name) => UnitsByTime(layer.Gate(name).Values, sequence);
        return kind switch
        {
            CellKind.Lstm => GateSeries.Lstm(G("i"), G("f"), G("g"), G("o"), layer.C is null ? null : UnitsByTime(layer.C, sequence)),
            CellKind.Gru => GateSeries.Gru(G("r"), G("z"), G("n")),
            _ => null,
        };
    }

    /// <summary>[T][B][H] → [H, T] for one sequence b.</summary>
    private static double[,] UnitsByTime(double[][][] values, int b)
    {
        int steps = values.Length, units = steps == 0 ? 0 : values[0][b].Length;
        var m = new double[units, steps];
        for (int t = 0; t < steps; t++)
            for (int j = 0; j < units; j++) m[j, t] = values[t][b][j];
        return m;
    }
}
