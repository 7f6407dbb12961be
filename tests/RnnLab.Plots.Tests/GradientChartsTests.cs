namespace RnnLab.Plots.Tests;

public sealed class GradientChartsTests
{
    [Fact]
    public void Gradient_norms_are_on_a_log_axis_with_each_models_prediction_dashed_in_its_colour()
    {
        var data = Samples.Gradients();
        var json = new ChartJson(Charts.GradientNorms(data));

        Assert.Equal(["scatter", "scatter", "scatter"], json.TraceTypes);
        Assert.Equal("log", json.Axis("yaxis").GetProperty("type").GetString());
        Assert.Equal(["tanh RNN", "tanh RNN (predicted)", "LSTM"], json.Traces.Select(t => t.GetProperty("name").GetString()));
        var measured = json.Trace(0).GetProperty("line");
        var predicted = json.Trace(1).GetProperty("line");
        Assert.Equal("dash", predicted.GetProperty("dash").GetString());
        Assert.Equal(measured.GetProperty("color").GetString(), predicted.GetProperty("color").GetString());
        Assert.NotEqual(measured.GetProperty("color").GetString(), json.Trace(2).GetProperty("line").GetProperty("color").GetString());
        Assert.Equal(data.Series[0].Norms, ChartJson.Numbers(json.Trace(0).GetProperty("y")).Select(v => v!.Value));
        Assert.Contains("∂L/∂h", json.AxisTitle("yaxis"));
        Assert.Equal("time step t", json.AxisTitle("xaxis"));
    }

    [Fact]
    public void Tokens_label_the_time_axis_when_given()
    {
        int steps = Samples.Text.Length;
        var data = new GradientNormData([new("RNN", Enumerable.Range(1, steps).Select(t => 1.0 / t).ToArray())], Samples.Text);
        var json = new ChartJson(Charts.GradientNorms(data));
        Assert.Equal("↵", ChartJson.Strings(json.Axis("xaxis").GetProperty("ticktext"))[11]);
    }

    [Fact]
    public void All_zero_series_on_a_log_scale_is_an_error_and_single_zeros_or_NaN_are_noted_gaps()
    {
        var zero = Assert.Throws<RnnLabException>(() => Charts.GradientNorms(new GradientNormData([new("dead", new double[5])])));
        Assert.Contains("series 'dead' has no positive value to draw on a log scale", zero.Message);

        var json = new ChartJson(Charts.GradientNorms(new GradientNormData([new("m", [1, 0, double.NaN, 0.1])])));
        Assert.Equal([1, null, null, 0.1], ChartJson.Numbers(json.Trace(0).GetProperty("y")));
        Assert.Equal(2, json.Annotations.Length);
        Assert.Contains(json.Annotations, a => a.Contains("1 value is NaN"));
        Assert.Contains(json.Annotations, a => a.Contains("1 value is ≤ 0"));

        var mismatch = Assert.Throws<RnnLabException>(() => Charts.GradientNorms(new GradientNormData([new("m", [1, 2], [1, 2, 3])])));
        Assert.Contains("PredictedDecay has 3 values but Norms has 2", mismatch.Message);
        Assert.Throws<RnnLabException>(() => Charts.GradientNorms(new GradientNormData([new("m", [1, 2])], ["a"])));
        Assert.Throws<RnnLabException>(() => Charts.GradientNorms(new GradientNormData([])));
    }

    [Fact]
    public void Connectivity_colours_log10_magnitudes_and_leaves_the_causal_zeros_blank()
    {
        var data = Samples.Connectivity();
        var json = new ChartJson(Charts.ConnectivityHeatmap(data));
        Assert.Equal(["heatmap"], json.TraceTypes);
        var z = json.Trace(0).GetProperty("z");
        Assert.Equal(Math.Log10(data.Values[5, 2]), ChartJson.Numbers(z[5])[2]!.Value, 12);
        Assert.Null(ChartJson.Numbers(z[2])[5]);                          // t > t′: no dependence, blank
        Assert.Empty(json.Annotations);                                   // structural zeros are not "problems"
        var ticks = ChartJson.Strings(json.Trace(0).GetProperty("colorbar").GetProperty("ticktext"));
        Assert.All(ticks, t => Assert.StartsWith("1e", t));
        Assert.Equal(Samples.Text.Length, json.Axis("xaxis").GetProperty("ticktext").GetArrayLength());
        Assert.Equal(Samples.Text.Length, json.Axis("yaxis").GetProperty("ticktext").GetArrayLength());

        Assert.Throws<RnnLabException>(() => Charts.ConnectivityHeatmap(new ConnectivityData(new double[3, 3], ["a", "b", "c"])));
        Assert.Throws<RnnLabException>(() => Charts.ConnectivityHeatmap(new ConnectivityData(new double[2, 3], ["a", "b", "c"])));
    }

    [Fact]
    public void Spectral_sweep_plots_rate_against_rho_with_rho_one_marked()
    {
        var data = Samples.Sweep();
        var json = new ChartJson(Charts.SpectralRadiusSweep(data));
        Assert.Equal(["scatter", "scatter"], json.TraceTypes);
        Assert.Equal(data.Series[0].Points.Select(p => p.Rho), ChartJson.Numbers(json.Trace(0).GetProperty("x")).Select(v => v!.Value));
        Assert.Equal(data.Series[1].Points.Select(p => p.DecayRate), ChartJson.Numbers(json.Trace(1).GetProperty("y")).Select(v => v!.Value));
        var line = json.Layout.GetProperty("shapes")[0];
        Assert.Equal(1.0, line.GetProperty("x0").GetDouble());
        Assert.Contains("ρ", json.AxisTitle("xaxis"));
        Assert.Contains(json.Annotations, a => a == "ρ = 1");
        Assert.Throws<RnnLabException>(() => Charts.SpectralRadiusSweep(new SpectralSweepData([new("s", [])])));
    }

    [Fact]
    public void Singular_values_are_sorted_on_a_log_axis_with_sigma_one_marked()
    {
        var json = new ChartJson(Charts.SingularValues(new SingularValueData([new("J", [0.5, 2.0, 1.0])])));
        Assert.Equal([2.0, 1.0, 0.5], ChartJson.Numbers(json.Trace(0).GetProperty("y")));
        Assert.Equal([1.0, 2, 3], ChartJson.Numbers(json.Trace(0).GetProperty("x")));
        Assert.Equal("log", json.Axis("yaxis").GetProperty("type").GetString());
        Assert.Equal(1.0, json.Layout.GetProperty("shapes")[0].GetProperty("y0").GetDouble());
        Assert.Throws<RnnLabException>(() => Charts.SingularValues(new SingularValueData([new("J", [0.0, 0.0])])));
    }
}
