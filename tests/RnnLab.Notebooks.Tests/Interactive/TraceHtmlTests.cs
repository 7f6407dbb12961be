using System.Xml.Linq;
using RnnLab.Interactive;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class TraceHtmlTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // h[t][0][j] = 10·t + j, so the heatmap's cell for unit j at step t must hold 10·t + j.
    private static Trace MakeTrace(int steps, int hidden, string[]? tokens)
    {
        var h = Enumerable.Range(0, steps).Select(t => new[] { Enumerable.Range(0, hidden).Select(j => 10.0 * t + j).ToArray() }).ToArray();
        var f = new GateTrace("f", h);
        var layer = new LayerTrace(0, false, h, h, [new GateTrace("i", h), f, new GateTrace("g", h), new GateTrace("o", h)],
            Enumerable.Range(0, steps).Select(t => Math.Pow(0.5, steps - 1 - t)).ToArray(), null);
        return new Trace(CellKind.Lstm, steps, 1, 2, hidden, tokens, null, [layer], null, null, null, null, 1.25, null, null);
    }

    [Fact]
    public void A_trace_shows_its_sizes_what_each_layer_recorded_and_the_hidden_state_over_time()
    {
        var html = XElement.Parse(Show.Trace(MakeTrace(3, 2, ["the", "cat", "sat"])).Html);
        Assert.Contains("Lstm, 3 steps, batch 1, input 2, hidden 2", html.Value);
        Assert.Contains("loss 1.25", html.Value);
        var row = html.Descendants("tr").Skip(1).First().Elements("td").Select(td => td.Value).ToArray();
        Assert.Equal(["0", "forward", "h, c, gates i,f,g,o, ‖∂L/∂h‖", "0.25 → 1"], row);

        var svg = html.Descendants(Svg + "svg").Single();
        var cells = svg.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).Select(r => r.Element(Svg + "title")!.Value).ToArray();
        Assert.Equal(6, cells.Length);                       // 2 units × 3 steps
        Assert.Equal("1, cat: 11", cells[1 * 3 + 1]);         // unit 1 at step 1 ("cat")
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "sat");
    }

    [Fact]
    public void A_trace_too_big_to_draw_says_so_instead_of_drawing()
    {
        var html = Show.Trace(MakeTrace(500, 100, null)).Html;
        Assert.DoesNotContain("<svg", html);
        Assert.Contains("too many to draw inline", html);
    }
}
