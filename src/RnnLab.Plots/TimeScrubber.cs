using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// Everything the time scrubber shows at each step t.
/// </summary>
/// <param name="Tokens">T input tokens.</param>
/// <param name="Hidden">[H, T] hidden states (tanh-valued).</param>
/// <param name="Gates">Optional gate series, each [units, T] (see <see cref="GateSeries.Lstm"/>, <see cref="GateSeries.Gru"/>).</param>
/// <param name="Attention">Optional [T, sourceLen]: row t is the attention distribution at step t.</param>
/// <param name="SourceTokens">The sourceLen tokens attended over (required with <paramref name="Attention"/>).</param>
public sealed record ScrubberData(
    IReadOnlyList<string> Tokens,
    double[,] Hidden,
    IReadOnlyList<GateSeries>? Gates = null,
    double[,]? Attention = null,
    IReadOnlyList<string>? SourceTokens = null,
    string Title = "Step through time");

public static partial class Charts
{
    /// <summary>
    /// The time scrubber: one slider that moves through the time steps and updates, together,
    /// the hidden-state bars, the gate values and the attention row of that step.
    /// <para>
    /// plotly.js frames/animation are not used (Plotly.NET has none); instead the figure holds one
    /// set of traces per step, all hidden but step 0's, and each slider step is a plotly.js
    /// <c>update</c> command (a <c>restyle</c> of <c>visible</c> plus a <c>relayout</c> of the title).
    /// That is plain figure JSON, so it works in a notebook output with no extra JavaScript.
    /// Size grows as T × (1 + gates + 1) traces: keep T to a few hundred steps.
    /// </para>
    /// </summary>
    public static GenericChart TimeScrubber(ScrubberData data)
    {
        const string chart = nameof(TimeScrubber);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Hidden, "Hidden");
        int units = data.Hidden.GetLength(0), steps = data.Hidden.GetLength(1);
        Check.NotEmpty(chart, units * steps, $"the hidden states [{units}, {steps}]");
        Check.TokensMatchSteps(chart, data.Tokens, steps, $"Hidden is [H={units}, T={steps}]");
        var gates = data.Gates ?? [];
        foreach (var gate in gates)
        {
            Check.NotNull(chart, gate.Values, $"gate '{gate.Name}' Values");
            if (gate.Values.GetLength(1) != steps)
                throw new RnnLabException($"{chart}: gate '{gate.Name}' has {gate.Values.GetLength(1)} time steps but Hidden has {steps}; they must match.");
            Check.NotEmpty(chart, gate.Values.GetLength(0), $"gate '{gate.Name}'");
        }
        int sources = 0;
        if (data.Attention is { } attention)
        {
            sources = attention.GetLength(1);
            if (attention.GetLength(0) != steps)
                throw new RnnLabException($"{chart}: Attention has {attention.GetLength(0)} rows but there are {steps} time steps; pass one attention row per step ([T, sourceLen]).");
            Check.NotEmpty(chart, sources, "the attention rows");
            if (data.SourceTokens is null)
                throw new RnnLabException($"{chart}: Attention is given but SourceTokens is null; pass the {sources} source tokens.");
            if (data.SourceTokens.Count != sources)
                throw new RnnLabException($"{chart}: {data.SourceTokens.Count} source tokens for {sources} attention columns; pass one per column.");
        }

        // Panels, top to bottom: hidden state, gates (if any), attention (if any).
        var panels = new List<string> { "hidden" };
        if (gates.Count > 0) panels.Add("gates");
        if (data.Attention is not null) panels.Add("attention");
        string Axis(string panel, char xy) => panels.IndexOf(panel) is 0 ? $"{xy}" : $"{xy}{panels.IndexOf(panel) + 1}";

        var gaps = new Gaps();
        var traces = new List<Trace>();
        int[] unitIds = Enumerable.Range(0, units).ToArray();
        string[] tokens = TokenAxis.Display(data.Tokens);
        for (int t = 0; t < steps; t++)
        {
            bool shown = t == 0;
            double?[] h = Column(gaps, data.Hidden, t);                           // [H]
            traces.Add(Figure.Trace("bar")
                .With("x", unitIds).With("y", h)
                .With("marker", new { color = h, colorscale = Style.Diverging, cmin = -1.0, cmax = 1.0, line = new { color = Style.MarkerLineColor, width = 0.5 } })
                .With("name", $"h at step {t}").With("showlegend", false).With("visible", shown)
                .With("xaxis", Axis("hidden", 'x')).With("yaxis", Axis("hidden", 'y'))
                .With("hovertemplate", $"step {t} '{tokens[t]}'<br>unit %{{x}}: h = %{{y:.3f}}<extra></extra>"));
            for (int g = 0; g < gates.Count; g++)
            {
                double?[] values = Column(gaps, gates[g].Values, t);              // [units]
                traces.Add(Figure.Trace("bar")
                    .With("x", Enumerable.Range(0, values.Length).ToArray()).With("y", values)
                    .With("marker", new { color = Style.SeriesColor(g) })
                    .With("name", gates[g].Name).With("legendgroup", gates[g].Name).With("visible", shown)
                    .With("xaxis", Axis("gates", 'x')).With("yaxis", Axis("gates", 'y'))
                    .With("hovertemplate", $"{gates[g].Name}, step {t}<br>unit %{{x}}: %{{y:.3f}}<extra></extra>"));
            }
            if (data.Attention is { } a)
            {
                double?[] row = Row(gaps, a, t);                                  // [sourceLen]
                traces.Add(Figure.Trace("bar")
                    .With("x", Enumerable.Range(0, sources).ToArray()).With("y", row)
                    .With("marker", new { color = row, colorscale = Style.Sequential, cmin = 0.0, cmax = 1.0, line = new { color = Style.MarkerLineColor, width = 0.5 } })
                    .With("name", $"attention at step {t}").With("showlegend", false).With("visible", shown)
                    .With("xaxis", Axis("attention", 'x')).With("yaxis", Axis("attention", 'y'))
                    .With("hovertemplate", $"step {t}: weight %{{y:.3f}}<extra></extra>"));
            }
        }
        int perStep = traces.Count / steps;

        const int panelHeight = 210, gap = 80, sliderSpace = 150;
        int plotHeight = panels.Count * panelHeight + (panels.Count - 1) * gap;
        var layout = Style.BaseLayout(StepTitle(data.Title, 0, tokens[0]), height: plotHeight + sliderSpace + 70, legend: gates.Count > 0)
            .With("barmode", "group")
            .With("bargap", 0.15)
            .With("margin", new Style.Margin(l: 70, r: 140, t: 70, b: sliderSpace))
            .With("legend", new { x = 1.02, xanchor = "left", y = 0.5, yanchor = "middle", title = new { text = "gate" } });
        for (int p = 0; p < panels.Count; p++)
        {
            double top = 1 - p * (panelHeight + gap) / (double)plotHeight;
            double bottom = top - panelHeight / (double)plotHeight;
            string suffix = p == 0 ? "" : $"{p + 1}";
            string anchorY = p == 0 ? "y" : $"y{p + 1}", anchorX = p == 0 ? "x" : $"x{p + 1}";
            var (xAxis, yAxis) = panels[p] switch
            {
                "hidden" => (Figure.Axis("unit").With("range", new[] { -0.5, units - 0.5 }),
                             Figure.Axis("hidden state h").With("range", new[] { -1.05, 1.05 }).With("zeroline", true)),
                "gates" => (Figure.Axis("unit"), Figure.Axis("gate value").With("range", GateValueRange(gates)).With("zeroline", true)),
                _ => (TokenAxis.Apply(Figure.Axis("source token (attention row of this step)"), data.SourceTokens!),
                      Figure.Axis("attention weight").With("range", new[] { 0.0, 1.05 })),
            };
            layout.With("xaxis" + suffix, xAxis.With("domain", new[] { 0.0, 1.0 }).With("anchor", anchorY));
            layout.With("yaxis" + suffix, yAxis.With("domain", new[] { Math.Max(0, bottom), top }).With("anchor", anchorX));
        }

        var sliderSteps = Enumerable.Range(0, steps).Select(t => new
        {
            method = "update",
            label = $"{t} '{tokens[t]}'",
            args = new object[]
            {
                new Dictionary<string, object> { ["visible"] = Enumerable.Range(0, traces.Count).Select(i => i / perStep == t).ToArray() },
                new Dictionary<string, object> { ["title.text"] = StepTitle(data.Title, t, tokens[t]) },
            },
        }).ToArray();
        layout.With("sliders", new[]
        {
            new
            {
                active = 0,
                steps = sliderSteps,
                x = 0.0, len = 1.0, y = 0.0, yanchor = "top", pad = new { t = 70, b = 10 },
                currentvalue = new { prefix = "step ", visible = true, xanchor = "left", font = new { size = 14, color = "#222222" } },
                // With many steps the per-step labels would overlap: hide them, the current value still shows.
                font = new { color = steps > 24 ? "rgba(0,0,0,0)" : "#444444", size = 11 },
            },
        });
        return Figure.Chart(traces, layout, gaps);
    }

    private static string StepTitle(string title, int t, string token) => $"{title}: step {t}, token '{token}'";

    private static double[] GateValueRange(IReadOnlyList<GateSeries> gates)
    {
        double lo = 0, hi = 1;
        foreach (var gate in gates)
        {
            if (gate.Range == GateRange.Tanh) lo = -1;
            if (gate.Range != GateRange.Unbounded) continue;
            foreach (double v in gate.Values)
                if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        }
        return [lo - 0.05, hi + 0.05];
    }

    private static double?[] Column(Gaps gaps, double[,] m, int t) =>
        Enumerable.Range(0, m.GetLength(0)).Select(u => gaps.Keep(m[u, t])).ToArray();

    private static double?[] Row(Gaps gaps, double[,] m, int r) =>
        Enumerable.Range(0, m.GetLength(1)).Select(c => gaps.Keep(m[r, c])).ToArray();
}
