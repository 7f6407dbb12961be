namespace RnnLab.Plots.Tests;

public sealed class HiddenStateHeatmapTests
{
    private static readonly string[] Hello = ["h", "e", "l", "l", "o", " "];

    private static double[,] States(int units, int steps)
    {
        var v = new double[units, steps];
        for (int u = 0; u < units; u++)
            for (int t = 0; t < steps; t++)
                v[u, t] = Math.Tanh(Math.Sin(0.7 * t + u) * 2);
        return v;
    }

    [Fact]
    public void Heatmap_has_units_by_time_z_diverging_scale_fixed_at_minus_one_to_one_and_token_ticks()
    {
        var values = States(3, 6);
        var json = new ChartJson(Charts.HiddenStateHeatmap(new StateHeatmapData(values, Hello)));

        Assert.Equal(["heatmap"], json.TraceTypes);
        var trace = json.Trace(0);
        Assert.Equal(-1.0, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(1.0, trace.GetProperty("zmax").GetDouble());
        Assert.Equal(0.0, trace.GetProperty("zmid").GetDouble());
        Assert.Equal("#f7f7f7", trace.GetProperty("colorscale")[4][1].GetString()); // white at the centre

        var z = trace.GetProperty("z").EnumerateArray().ToArray();
        Assert.Equal(3, z.Length);
        Assert.Equal(values[2, 5], ChartJson.Numbers(z[2])[5]);

        Assert.Equal(["h", "e", "l", "l", "o", "␣"], ChartJson.Strings(json.Axis("xaxis").GetProperty("ticktext")));
        Assert.Equal([0.0, 1, 2, 3, 4, 5], ChartJson.Numbers(json.Axis("xaxis").GetProperty("tickvals")).Select(v => v!.Value));
        Assert.Equal("time step t (input token)", json.AxisTitle("xaxis"));
        Assert.Equal("unit", json.AxisTitle("yaxis"));
        Assert.Contains("Hidden state", json.Title);
        Assert.Empty(json.Annotations);
    }

    [Fact]
    public void Long_sequences_label_every_kth_token_so_labels_do_not_overlap()
    {
        string[] tokens = Enumerable.Range(0, 200).Select(i => ((char)('a' + i % 26)).ToString()).ToArray();
        var json = new ChartJson(Charts.HiddenStateHeatmap(new StateHeatmapData(States(2, 200), tokens)));
        var ticks = ChartJson.Numbers(json.Axis("xaxis").GetProperty("tickvals"));
        Assert.InRange(ticks.Length, 2, TokenAxis.MaxLabels);
        Assert.Equal(tokens[(int)ticks[1]!.Value], ChartJson.Strings(json.Axis("xaxis").GetProperty("ticktext"))[1]);
    }

    [Fact]
    public void NaN_values_become_gaps_with_a_visible_note()
    {
        var values = States(2, 6);
        values[1, 3] = double.NaN;
        values[0, 0] = double.PositiveInfinity;
        var json = new ChartJson(Charts.HiddenStateHeatmap(new StateHeatmapData(values, Hello)));
        var z = json.Trace(0).GetProperty("z").EnumerateArray().ToArray();
        Assert.Null(ChartJson.Numbers(z[1])[3]);
        Assert.Null(ChartJson.Numbers(z[0])[0]);
        Assert.Contains(json.Annotations, a => a.Contains("2 values are NaN or infinite"));
        Assert.Equal(60 + Gaps.NoteHeight, json.Layout.GetProperty("margin").GetProperty("t").GetInt32()); // room made for the note
    }

    [Fact]
    public void Mismatched_tokens_and_empty_data_are_clear_errors()
    {
        var tooFew = Assert.Throws<RnnLabException>(() => Charts.HiddenStateHeatmap(new StateHeatmapData(States(3, 6), ["a", "b"])));
        Assert.Contains("2 tokens for 6 time steps", tooFew.Message);
        var empty = Assert.Throws<RnnLabException>(() => Charts.HiddenStateHeatmap(new StateHeatmapData(new double[4, 0], [])));
        Assert.Contains("empty", empty.Message);
    }
}
