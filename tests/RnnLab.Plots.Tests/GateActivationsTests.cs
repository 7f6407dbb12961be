namespace RnnLab.Plots.Tests;

public sealed class GateActivationsTests
{
    [Fact]
    public void One_heatmap_row_per_gate_on_a_shared_token_axis_with_gate_and_tanh_scales()
    {
        var gates = Samples.LstmGates();
        var json = new ChartJson(Charts.GateActivations(new GateActivationData(gates, Samples.Text)));

        Assert.Equal(Enumerable.Repeat("heatmap", 5), json.TraceTypes);
        Assert.Equal(["y", "y2", "y3", "y4", "y5"], json.Traces.Select(t => t.GetProperty("yaxis").GetString()));
        Assert.All(json.Traces, t => Assert.Equal("x", t.GetProperty("xaxis").GetString()));
        Assert.Equal(["coloraxis", "coloraxis", "coloraxis2", "coloraxis", "coloraxis3"], json.Traces.Select(t => t.GetProperty("coloraxis").GetString()));

        var sigmoid = json.Layout.GetProperty("coloraxis");
        Assert.Equal(0.0, sigmoid.GetProperty("cmin").GetDouble());
        Assert.Equal(1.0, sigmoid.GetProperty("cmax").GetDouble());
        var tanh = json.Layout.GetProperty("coloraxis2");
        Assert.Equal(-1.0, tanh.GetProperty("cmin").GetDouble());
        Assert.Equal(0.0, tanh.GetProperty("cmid").GetDouble());
        var cell = json.Layout.GetProperty("coloraxis3");
        double cmax = cell.GetProperty("cmax").GetDouble();
        Assert.Equal(-cmax, cell.GetProperty("cmin").GetDouble());
        double maxAbsC = 0;
        foreach (double v in gates[4].Values) maxAbsC = Math.Max(maxAbsC, Math.Abs(v));
        Assert.Equal(maxAbsC, cmax, 12);

        Assert.Equal("f (forget)", json.AxisTitle("yaxis2"));
        Assert.Equal("y5", json.Axis("xaxis").GetProperty("anchor").GetString()); // token axis under the last row
        Assert.Equal(Samples.Text.Length, json.Axis("xaxis").GetProperty("ticktext").GetArrayLength());
        // Rows are stacked top to bottom without overlapping.
        var domains = Enumerable.Range(1, 5).Select(k => ChartJson.Numbers(json.Axis(k == 1 ? "yaxis" : $"yaxis{k}").GetProperty("domain"))).ToArray();
        for (int k = 1; k < 5; k++) Assert.True(domains[k][1] < domains[k - 1][0]);
        // The data is the forget gate, unit 2, step 5.
        Assert.Equal(gates[1].Values[2, 5], ChartJson.Numbers(json.Trace(1).GetProperty("z")[2])[5]);
    }

    [Fact]
    public void Gru_gates_and_bad_input()
    {
        var h = Samples.RnnStates();
        var json = new ChartJson(Charts.GateActivations(new GateActivationData(GateSeries.Gru(h, h, h), Samples.Text)));
        Assert.Equal(["r (reset)", "z (update)", "n (candidate)"], json.Traces.Select(t => t.GetProperty("name").GetString()));

        var mismatch = Assert.Throws<RnnLabException>(() => Charts.GateActivations(
            new GateActivationData([new("i", new double[2, 3], GateRange.Sigmoid), new("f", new double[2, 4], GateRange.Sigmoid)], ["a", "b", "c"])));
        Assert.Contains("gate 'f' has 4 time steps but 'i' has 3", mismatch.Message);
        Assert.Throws<RnnLabException>(() => Charts.GateActivations(new GateActivationData([], Samples.Text)));
        var tokens = Assert.Throws<RnnLabException>(() => Charts.GateActivations(new GateActivationData(GateSeries.Gru(h, h, h), ["x"])));
        Assert.Contains("1 tokens for", tokens.Message);
    }
}
