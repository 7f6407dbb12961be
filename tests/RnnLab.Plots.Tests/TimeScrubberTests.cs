namespace RnnLab.Plots.Tests;

public sealed class TimeScrubberTests
{
    [Fact]
    public void One_slider_step_per_time_step_shows_exactly_that_steps_bars_gates_and_attention_row()
    {
        var data = Samples.Scrubber();
        int steps = Samples.Text.Length, perStep = 1 + 4 + 1;
        var json = new ChartJson(Charts.TimeScrubber(data));

        Assert.Equal(steps * perStep, json.Traces.Length);
        Assert.All(json.TraceTypes, t => Assert.Equal("bar", t));
        var slider = json.Layout.GetProperty("sliders")[0];
        var sliderSteps = slider.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps, sliderSteps.Length);
        for (int t = 0; t < steps; t++)
        {
            Assert.Equal("update", sliderSteps[t].GetProperty("method").GetString());
            bool[] visible = sliderSteps[t].GetProperty("args")[0].GetProperty("visible").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
            Assert.Equal(Enumerable.Range(0, json.Traces.Length).Select(i => i / perStep == t), visible);
            Assert.Contains($"step {t}", sliderSteps[t].GetProperty("args")[1].GetProperty("title.text").GetString());
        }
        // Initially step 0 is shown.
        Assert.Equal(Enumerable.Range(0, json.Traces.Length).Select(i => i < perStep), json.Traces.Select(t => t.GetProperty("visible").GetBoolean()));

        // Step 7's traces hold step 7's data: h[:, 7], forget gate [:, 7], attention row 7.
        var hidden7 = ChartJson.Numbers(json.Trace(7 * perStep).GetProperty("y"));
        Assert.Equal(Enumerable.Range(0, 8).Select(u => (double?)data.Hidden[u, 7]), hidden7);
        var forget7 = json.Trace(7 * perStep + 2);
        Assert.Equal("f (forget)", forget7.GetProperty("name").GetString());
        Assert.Equal(data.Gates![1].Values[3, 7], ChartJson.Numbers(forget7.GetProperty("y"))[3]);
        var attention7 = ChartJson.Numbers(json.Trace(7 * perStep + 5).GetProperty("y"));
        Assert.Equal(data.Attention![7, 2], attention7[2]);

        // Three panels, each with its own axes; the attention panel is labelled with source tokens.
        Assert.Equal(["x", "x2", "x3"], json.Traces.Take(perStep).Select(t => t.GetProperty("xaxis").GetString()).Distinct());
        Assert.Equal(Samples.Source, ChartJson.Strings(json.Axis("xaxis3").GetProperty("ticktext")));
        Assert.Equal([-1.05, 1.05], ChartJson.Numbers(json.Axis("yaxis").GetProperty("range")));
        Assert.Equal(-1.0, json.Trace(0).GetProperty("marker").GetProperty("cmin").GetDouble());
    }

    [Fact]
    public void Hidden_state_alone_works_and_bad_input_is_a_clear_error()
    {
        var h = Samples.RnnStates();
        var json = new ChartJson(Charts.TimeScrubber(new ScrubberData(Samples.Text, h)));
        Assert.Equal(Samples.Text.Length, json.Traces.Length);

        Assert.Contains("tokens for", Assert.Throws<RnnLabException>(() => Charts.TimeScrubber(new ScrubberData(["a"], h))).Message);
        Assert.Contains("SourceTokens is null", Assert.Throws<RnnLabException>(() =>
            Charts.TimeScrubber(new ScrubberData(Samples.Text, h, Attention: new double[Samples.Text.Length, 3]))).Message);
        Assert.Contains("Attention has 2 rows", Assert.Throws<RnnLabException>(() =>
            Charts.TimeScrubber(new ScrubberData(Samples.Text, h, Attention: new double[2, 3], SourceTokens: ["a", "b", "c"]))).Message);
        Assert.Throws<RnnLabException>(() => Charts.TimeScrubber(new ScrubberData([], new double[0, 0])));
    }
}
