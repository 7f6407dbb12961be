using System.Text.Json;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests;

/// <summary>
/// One colour convention for signed values across the kit: <see cref="Style.Diverging"/>, blue below zero,
/// white at zero, red above. These tests fail if a chart gets its own scale or the ends are swapped.
/// </summary>
public sealed class ColourConventionTests
{
    private static (int R, int G, int B) Rgb(string hex) =>
        (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));

    private static string[][] Stops(JsonElement colorscale) =>
        colorscale.EnumerateArray().Select(s => new[] { s[0].GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture), s[1].GetString()! }).ToArray();

    private static readonly string[][] DivergingStops =
        Style.Diverging.Select(s => new[] { ((double)s[0]).ToString("R", System.Globalization.CultureInfo.InvariantCulture), (string)s[1] }).ToArray();

    [Fact]
    public void Diverging_is_blue_for_negative_white_at_zero_red_for_positive()
    {
        var (neg, zero, pos) = (Rgb(Style.DivergingColor(-1)), Rgb(Style.DivergingColor(0)), Rgb(Style.DivergingColor(1)));
        Assert.True(neg.B > neg.R + 80, $"−1 should be blue, got {neg}");
        Assert.Equal((247, 247, 247), zero);
        Assert.True(pos.R > pos.B + 80, $"+1 should be red, got {pos}");
        Assert.Equal("#b2182b", Style.DivergingColor(7));        // clamped to +1
        Assert.Equal("#2166ac", Style.DivergingColor(-7));       // clamped to −1
        // Halfway between the stops at 0.5 (#f7f7f7) and 0.6 (#fddbc7), i.e. at +0.1.
        Assert.Equal("#fae9df", Style.DivergingColor(0.1));
    }

    [Fact]
    public void Color_at_interpolates_any_scale_between_its_stops()
    {
        Assert.Equal("#440154", Style.ColorAt(Style.Magnitude, 0));
        Assert.Equal("#fde725", Style.ColorAt(Style.Magnitude, 1));
        Assert.Equal("#21918c", Style.ColorAt(Style.Magnitude, 0.5));
        Assert.Equal("#fde725", Style.ColorAt(Style.Magnitude, 1.5));   // clamped
    }

    [Fact]
    public void Every_signed_heatmap_and_bar_uses_the_one_diverging_scale()
    {
        var hidden = new ChartJson(Charts.HiddenStateHeatmap(new StateHeatmapData(Samples.RnnStates(), Samples.Text)));
        Assert.Equal(DivergingStops, Stops(hidden.Trace(0).GetProperty("colorscale")));

        var gates = new ChartJson(Charts.GateActivations(new GateActivationData(Samples.LstmGates(), Samples.Text)));
        Assert.Equal(DivergingStops, Stops(gates.Layout.GetProperty("coloraxis2").GetProperty("colorscale")));   // g, −1..1
        Assert.Equal(DivergingStops, Stops(gates.Layout.GetProperty("coloraxis3").GetProperty("colorscale")));   // c, ±max|c|

        var scrubber = new ChartJson(Charts.TimeScrubber(Samples.Scrubber()));
        Assert.Equal(DivergingStops, Stops(scrubber.Trace(0).GetProperty("marker").GetProperty("colorscale")));  // h bars

        // The neuron text's legend runs from −1 (blue) on the left to +1 (red) on the right.
        string html = NeuronText.ToHtml(Samples.NeuronText());
        Assert.Contains("linear-gradient(to right,#2166ac 0%", html);
        Assert.Contains("#b2182b 100%)", html);
    }

    [Fact]
    public void Gates_get_a_grey_sequential_scale_so_no_gate_colour_reads_as_a_sign()
    {
        var gates = new ChartJson(Charts.GateActivations(new GateActivationData(Samples.LstmGates(), Samples.Text)));
        var sigmoid = gates.Layout.GetProperty("coloraxis");
        var stops = Stops(sigmoid.GetProperty("colorscale"));
        Assert.All(stops, s => { var (r, g, b) = Rgb(s[1]); Assert.True(r == g && g == b, $"{s[1]} is not a grey"); });
        Assert.Equal("#ffffff", stops[0][1]);                    // closed gate: white
        Assert.Equal(0.0, sigmoid.GetProperty("cmin").GetDouble());
        Assert.Equal(1.0, sigmoid.GetProperty("cmax").GetDouble());
    }

    [Fact]
    public void Attention_weights_share_the_gates_grey_scale_fixed_to_zero_one()
    {
        // Show.Heatmap (RnnLab.Interactive) draws any 0..1 matrix with Style.Sequential over 0..1 too (HeatmapTests),
        // so an attention map looks the same whether it is a Plotly chart or an inline SVG.
        var attention = new ChartJson(Charts.AttentionHeatmap(Samples.Attention())).Trace(0);
        var gates = new ChartJson(Charts.GateActivations(new GateActivationData(Samples.LstmGates(), Samples.Text)));
        var gateStops = Stops(gates.Layout.GetProperty("coloraxis").GetProperty("colorscale"));
        Assert.Equal(gateStops, Stops(attention.GetProperty("colorscale")));
        Assert.Equal(0.0, attention.GetProperty("zmin").GetDouble());
        Assert.Equal(1.0, attention.GetProperty("zmax").GetDouble());
    }
}
