using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>What values a gate series takes, which decides its colour scale.</summary>
public enum GateRange
{
    /// <summary>A sigmoid gate (LSTM i, f, o; GRU r, z): 0 = closed, 1 = open. Sequential scale 0..1.</summary>
    Sigmoid,
    /// <summary>A tanh candidate (LSTM g, GRU n): diverging scale −1..1.</summary>
    Tanh,
    /// <summary>An unbounded quantity such as the LSTM cell state c: diverging, symmetric around 0 at ±max|c|.</summary>
    Unbounded,
}

/// <summary>One gate's activations over time, <c>Values[unit, t]</c>.</summary>
/// <param name="Name">Shown beside its row, e.g. "f (forget)".</param>
/// <param name="Values">[units, T].</param>
public sealed record GateSeries(string Name, double[,] Values, GateRange Range)
{
    /// <summary>LSTM gates in PyTorch order i, f, g, o, then the cell state c (each [H, T]).</summary>
    public static IReadOnlyList<GateSeries> Lstm(double[,] i, double[,] f, double[,] g, double[,] o, double[,]? c = null)
    {
        var gates = new List<GateSeries>
        {
            new("i (input)", i, GateRange.Sigmoid), new("f (forget)", f, GateRange.Sigmoid),
            new("g (candidate)", g, GateRange.Tanh), new("o (output)", o, GateRange.Sigmoid),
        };
        if (c is not null) gates.Add(new("c (cell state)", c, GateRange.Unbounded));
        return gates;
    }

    /// <summary>GRU gates in PyTorch order r, z, n (each [H, T]).</summary>
    public static IReadOnlyList<GateSeries> Gru(double[,] r, double[,] z, double[,] n) =>
    [
        new("r (reset)", r, GateRange.Sigmoid), new("z (update)", z, GateRange.Sigmoid), new("n (candidate)", n, GateRange.Tanh),
    ];
}

/// <param name="Gates">One or more gates, all [units, T] with the same T.</param>
/// <param name="Tokens">T input tokens.</param>
public sealed record GateActivationData(IReadOnlyList<GateSeries> Gates, IReadOnlyList<string> Tokens, string Title = "Gate activations over time");

public static partial class Charts
{
    /// <summary>
    /// Gate activations over time: one heatmap row per gate (units down, time across), all
    /// aligned on one token axis so you can read, say, where the forget gate closes.
    /// Sigmoid gates share the 0..1 scale; tanh candidates the −1..1 diverging scale; the cell
    /// state a diverging scale symmetric around 0.
    /// </summary>
    public static GenericChart GateActivations(GateActivationData data)
    {
        const string chart = nameof(GateActivations);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Gates, "Gates");
        Check.NotEmpty(chart, data.Gates.Count, "the gate list");
        int steps = -1;
        foreach (var gate in data.Gates)
        {
            Check.NotNull(chart, gate.Values, $"gate '{gate.Name}' Values");
            int units = gate.Values.GetLength(0), t = gate.Values.GetLength(1);
            Check.NotEmpty(chart, units * t, $"gate '{gate.Name}' [{units}, {t}]");
            if (steps >= 0 && t != steps)
                throw new RnnLabException($"{chart}: gate '{gate.Name}' has {t} time steps but '{data.Gates[0].Name}' has {steps}; all gates must cover the same steps.");
            steps = t;
        }
        Check.TokensMatchSteps(chart, data.Tokens, steps, $"gate '{data.Gates[0].Name}' is [units, T={steps}]");

        int n = data.Gates.Count;
        var rowHeights = data.Gates.Select(g => Math.Clamp(g.Values.GetLength(0) * 8, 70, 170)).ToArray();
        int plotHeight = rowHeights.Sum() + 40 * (n - 1);
        var gaps = new Gaps();
        var traces = new List<Trace>();
        var layout = Style.BaseLayout(data.Title, height: plotHeight + 150)
            .With("margin", new Style.Margin(l: 110, r: 120, t: 60, b: 60));
        double cellMax = 0;

        double top = 1.0;
        for (int k = 0; k < n; k++)
        {
            var gate = data.Gates[k];
            string yAxis = k == 0 ? "y" : $"y{k + 1}";
            double height = rowHeights[k] / (double)plotHeight;
            double bottom = Math.Max(0, top - height);
            traces.Add(Figure.Trace("heatmap")
                .With("z", gaps.Rows(gate.Values))                      // [units][T]
                .With("x", Enumerable.Range(0, steps).ToArray())
                .With("text", TokenGrid(data.Tokens, gate.Values.GetLength(0)))
                .With("name", gate.Name)
                .With("hovertemplate", $"{gate.Name}<br>step %{{x}}, token %{{text}}<br>unit %{{y}}: %{{z:.3f}}<extra></extra>")
                .With("xaxis", "x").With("yaxis", yAxis)
                .With("coloraxis", ColorAxisOf(gate.Range))
                .With("hoverongaps", false));
            layout.With(k == 0 ? "yaxis" : $"yaxis{k + 1}", Figure.Axis(gate.Name)
                .With("domain", new[] { bottom, top }).With("anchor", "x").With("autorange", "reversed")
                .With("title", new { text = gate.Name, standoff = 6 }));
            top = bottom - 40.0 / plotHeight;
            if (gate.Range == GateRange.Unbounded)
                foreach (double v in gate.Values) if (double.IsFinite(v)) cellMax = Math.Max(cellMax, Math.Abs(v));
        }

        layout.With("xaxis", TokenAxis.Apply(Figure.Axis("time step t (input token)"), data.Tokens).With("anchor", n == 1 ? "y" : $"y{n}"));
        var used = data.Gates.Select(g => g.Range).Distinct().OrderBy(r => r).ToArray();
        for (int c = 0; c < used.Length; c++)
        {
            double len = 1.0 / used.Length;
            object bar = Style.ColorBar(RangeLabel(used[c]), y: 1 - (c + 0.5) * len, len: len * 0.9);
            layout.With(ColorAxisOf(used[c]), used[c] switch
            {
                GateRange.Sigmoid => new { colorscale = Style.Sequential, cmin = 0.0, cmax = 1.0, colorbar = bar } as object,
                GateRange.Tanh => new { colorscale = Style.Diverging, cmin = -1.0, cmax = 1.0, cmid = 0.0, colorbar = bar },
                _ => new { colorscale = Style.Diverging, cmin = -Math.Max(cellMax, 1e-12), cmax = Math.Max(cellMax, 1e-12), cmid = 0.0, colorbar = bar },
            });
        }
        return Figure.Chart(traces, layout, gaps);
    }

    private static string ColorAxisOf(GateRange range) => range switch
    {
        GateRange.Sigmoid => "coloraxis",
        GateRange.Tanh => "coloraxis2",
        _ => "coloraxis3",
    };

    private static string RangeLabel(GateRange range) => range switch
    {
        GateRange.Sigmoid => "gate 0..1",
        GateRange.Tanh => "tanh −1..1",
        _ => "cell state",
    };
}
