using RnnLab.Analysis;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Plots.Tests;

/// <summary>Charts drawn from real analysis results of seeded, untrained cells.</summary>
public sealed class AnalysisDataTests
{
    [Fact]
    public void Gradient_flow_connectivity_sweep_and_singular_values_chart_the_measured_numbers()
    {
        var rng = new Rng(1);
        var input = Tensor.Uniform(rng, -1, 1, 8, 1, 3);
        var flows = GradientFlow.Compare(input, hiddenSize: 5, seed: 2, lstmForgetBias: 1);
        var grad = new ChartJson(Charts.GradientNorms(AnalysisData.GradientFlow(flows)));
        Assert.Equal(["RNN", "RNN (predicted)", "LSTM", "LSTM (predicted)", "GRU", "GRU (predicted)"], grad.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(flows[1].Norms, ChartJson.Numbers(grad.Trace(2).GetProperty("y")).Select(v => v!.Value));

        var cell = new GruCell(3, 5, new Rng(3));
        var conn = GradientFlow.Connectivity(cell, input);
        string[] tokens = ["a", "b", "c", "d", "e", "f", "g", "h"];
        var heat = new ChartJson(Charts.ConnectivityHeatmap(AnalysisData.Connectivity(conn, tokens)));
        Assert.Equal(["heatmap"], heat.TraceTypes);

        var rnn = new RnnCell(3, 5, new Rng(4));
        var sweep = Sweeps.SpectralRadius(rnn, input, [0.5, 1.0, 1.5]);
        var series = AnalysisData.Sweep("tanh RNN", sweep);
        Assert.Equal(sweep[0].DecayRate / Math.Log(10), series.Points[0].DecayRate, 1e-15);
        new ChartJson(Charts.SpectralRadiusSweep(new SpectralSweepData([series])));

        var trace = Probe.Run(rnn, input);
        var sv = AnalysisData.SingularValues(StepJacobian.Along(rnn, trace), 1, 7);
        Assert.Equal(["t = 1", "t = 7"], sv.Sets.Select(s => s.Label));
        new ChartJson(Charts.SingularValues(sv));
        Assert.Contains("step 9", Assert.Throws<RnnLabException>(() => AnalysisData.SingularValues(StepJacobian.Along(rnn, trace), 9)).Message);
    }
}
