using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Plots.Html;
using RnnLab.Probes;

namespace RnnLab.Plots.Tests;

/// <summary>Charts drawn from real probe traces of real (untrained, seeded) models.</summary>
public sealed class TraceDataTests
{
    private const string Text = "hello world";
    private static readonly CharVocabulary Vocabulary = CharVocabulary.FromText(Text);

    private static Trace ProbeChar(RecurrentKind kind) =>
        Probe.Run(new SequenceModel(kind, Vocabulary.Size, 6, Vocabulary.Size, new Rng(3)), Text, Vocabulary);

    [Fact]
    public void Lstm_trace_gives_gate_rows_and_states_with_the_recorded_values()
    {
        var trace = ProbeChar(RecurrentKind.Lstm);
        var layer = trace.LastLayer();
        int steps = Text.Length - 1;

        var gates = new ChartJson(Charts.GateActivations(TraceData.Gates(trace)));
        Assert.Equal("LSTM gate activations over time", gates.Title);
        Assert.Equal(["i (input)", "f (forget)", "g (candidate)", "o (output)", "c (cell state)"], gates.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(layer.Gate("f").Values[4][0][2], ChartJson.Numbers(gates.Trace(1).GetProperty("z")[2])[4]);
        Assert.Equal(layer.C![7][0][5], ChartJson.Numbers(gates.Trace(4).GetProperty("z")[5])[7]);
        Assert.Equal(Text[..^1].Select(c => TokenAxis.Display(c.ToString())), ChartJson.Strings(gates.Axis("xaxis").GetProperty("ticktext")));

        var states = new ChartJson(Charts.HiddenStateHeatmap(TraceData.HiddenStates(trace)));
        Assert.Equal(layer.H[steps - 1][0][3], ChartJson.Numbers(states.Trace(0).GetProperty("z")[3])[steps - 1]);

        var grads = new ChartJson(Charts.GradientNorms(new GradientNormData([TraceData.GradientNorms("LSTM", trace)], trace.Tokens)));
        Assert.Equal(layer.HGradNorm!, ChartJson.Numbers(grads.Trace(0).GetProperty("y")).Select(v => v!.Value));

        var scrubber = new ChartJson(Charts.TimeScrubber(TraceData.Scrubber(trace)));
        Assert.Equal(steps * (1 + 5), scrubber.Traces.Length);
    }

    [Fact]
    public void Neuron_text_from_a_trace_shows_the_models_most_likely_next_characters()
    {
        var trace = ProbeChar(RecurrentKind.Gru);
        var labels = Vocabulary.Symbols.Select(c => c.ToString()).ToArray();
        var data = TraceData.NeuronText(trace, unit: 1, labels);
        double[] p0 = trace.Probabilities![0][0];
        string best = labels[Array.IndexOf(p0, p0.Max())];
        Assert.Equal(best, data.TopPredictions![0][0].Token);
        Assert.Equal(Math.Min(5, labels.Length), data.TopPredictions[0].Count);
        Assert.Equal(trace.LastLayer().H[2][0][1], data.Activations[2]);
        Assert.Contains("class=\"nt-c", NeuronText.ToHtml(data));

        Assert.Contains("output labels", Assert.Throws<RnnLabException>(() => TraceData.NeuronText(trace, 1, ["a"])).Message);
        Assert.Contains("unit 9", Assert.Throws<RnnLabException>(() => TraceData.NeuronText(trace, 9, labels)).Message);
    }

    [Fact]
    public void A_vanilla_rnn_has_no_gates_and_attention_maps_become_alignment_charts()
    {
        var rnn = ProbeChar(RecurrentKind.RnnTanh);
        Assert.Contains("no gates", Assert.Throws<RnnLabException>(() => TraceData.Gates(rnn)).Message);
        Assert.Equal(Text.Length - 1, new ChartJson(Charts.TimeScrubber(TraceData.Scrubber(rnn))).Traces.Length);

        var map = new AttentionMap("decoder", [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], ["a", "b", "c"], ["x", "y"]);
        var json = new ChartJson(Charts.AttentionHeatmap(TraceData.Attention(map)));
        Assert.Equal(["x", "y"], ChartJson.Strings(json.Axis("xaxis").GetProperty("ticktext")));
        Assert.Equal(["a", "b", "c"], ChartJson.Strings(json.Axis("yaxis").GetProperty("ticktext")));
        Assert.Equal(0.8, ChartJson.Numbers(json.Trace(0).GetProperty("z")[1])[1]);
    }
}
