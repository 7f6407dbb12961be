namespace RnnLab.Plots.Tests;

public sealed class OtherChartsTests
{
    [Fact]
    public void Attention_heatmap_has_source_tokens_across_target_tokens_down_and_a_0_to_1_scale()
    {
        var data = Samples.Attention();
        var json = new ChartJson(Charts.AttentionHeatmap(data));
        Assert.Equal(["heatmap"], json.TraceTypes);
        var trace = json.Trace(0);
        Assert.Equal(0.0, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(1.0, trace.GetProperty("zmax").GetDouble());
        Assert.Equal(data.Weights[2, 1], ChartJson.Numbers(trace.GetProperty("z")[2])[1]);
        Assert.Equal(Samples.Source, ChartJson.Strings(json.Axis("xaxis").GetProperty("ticktext")));
        Assert.Equal(Samples.Target, ChartJson.Strings(json.Axis("yaxis").GetProperty("ticktext")));
        Assert.Equal("source token", json.AxisTitle("xaxis"));
        Assert.Equal("target token", json.AxisTitle("yaxis"));
        Assert.True(ChartJson.Numbers(json.Axis("yaxis").GetProperty("range"))[0] > 0, "first target at the top");
    }

    [Fact]
    public void Attention_bad_input_is_a_clear_error()
    {
        var w = Samples.AttentionWeights();
        Assert.Contains("4 source tokens for 5 source steps",
            Assert.Throws<RnnLabException>(() => Charts.AttentionHeatmap(new AttentionData(w, Samples.Source[..4], Samples.Target))).Message);
        Assert.Contains("3 target tokens for 4 target steps",
            Assert.Throws<RnnLabException>(() => Charts.AttentionHeatmap(new AttentionData(w, Samples.Source, Samples.Target[..3]))).Message);
        w[0, 0] = 3.5;
        Assert.Contains("outside 0..1", Assert.Throws<RnnLabException>(() => Charts.AttentionHeatmap(new AttentionData(w, Samples.Source, Samples.Target))).Message);
    }

    [Fact]
    public void Loss_curves_show_train_validation_and_the_no_memory_baseline()
    {
        var data = Samples.Loss();
        var json = new ChartJson(Charts.LossCurves(data));
        Assert.Equal(["train", "validation", "no-memory baseline"], json.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([3.3, 3.3], ChartJson.Numbers(json.Trace(2).GetProperty("y")));
        Assert.Equal([0.0, 200], ChartJson.Numbers(json.Trace(2).GetProperty("x"))); // spans train and validation steps
        Assert.Equal("dash", json.Trace(2).GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal(data.Validation!.Select(p => (double)p.Step), ChartJson.Numbers(json.Trace(1).GetProperty("x")).Select(v => v!.Value));
        Assert.Equal("optimiser step", json.AxisTitle("xaxis"));
        Assert.Throws<RnnLabException>(() => Charts.LossCurves(new LossCurveData([])));
    }

    [Fact]
    public void Gradient_norm_history_is_log_scale_with_the_clip_threshold_and_the_number_clipped()
    {
        var data = Samples.GradNormHistory();
        var json = new ChartJson(Charts.GradNormHistory(data));
        Assert.Equal("log", json.Axis("yaxis").GetProperty("type").GetString());
        Assert.Equal([5.0, 5.0], ChartJson.Numbers(json.Trace(1).GetProperty("y")));
        int clipped = data.Norms.Count(p => p.Value > 5);
        Assert.Contains($"({clipped} of 200 steps clipped)", json.Trace(1).GetProperty("name").GetString());
        Assert.Throws<RnnLabException>(() => Charts.GradNormHistory(new GradNormHistoryData([new(0, 0.0), new(1, 0.0)])));
        Assert.Throws<RnnLabException>(() => Charts.GradNormHistory(data with { ClipThreshold = -1 }));
    }

    [Fact]
    public void Forecast_marks_the_train_validation_boundary_and_shades_validation()
    {
        var data = Samples.Forecast();
        var json = new ChartJson(Charts.ForecastVsActual(data));
        Assert.Equal(["actual", "forecast"], json.Traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(10.0, ChartJson.Numbers(json.Trace(1).GetProperty("x"))[0]);
        var shapes = json.Layout.GetProperty("shapes").EnumerateArray().ToArray();
        Assert.Equal("rect", shapes[0].GetProperty("type").GetString());
        Assert.Equal(89.5, shapes[0].GetProperty("x0").GetDouble());
        Assert.Equal(89.5, shapes[1].GetProperty("x0").GetDouble());
        Assert.Contains(json.Annotations, a => a.Contains("training"));
        Assert.Contains(json.Annotations, a => a.Contains("validation"));
        var labelled = new ChartJson(Charts.ForecastVsActual(data with { BeforeLabel = "validation", AfterLabel = "test" }));
        Assert.Contains(labelled.Annotations, a => a.Contains("◀ validation"));
        Assert.Contains(labelled.Annotations, a => a.Contains("test ▶"));
        Assert.DoesNotContain(labelled.Annotations, a => a.Contains("training"));

        Assert.Contains("Boundary = 120", Assert.Throws<RnnLabException>(() => Charts.ForecastVsActual(data with { Boundary = 120 })).Message);
        Assert.Throws<RnnLabException>(() => Charts.ForecastVsActual(data with { ForecastStart = 20 }));
    }
}
