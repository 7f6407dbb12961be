using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// Connectivity: how strongly the state at step t′ depends on the input at step t,
/// <c>Values[t′, t] = ‖∂h_t′/∂x_t‖</c>. Entries with t &gt; t′ are zero by causality and left blank.
/// </summary>
/// <param name="Values">[T, T] (output step t′ down, input step t across).</param>
/// <param name="Tokens">T input tokens.</param>
public sealed record ConnectivityData(double[,] Values, IReadOnlyList<string> Tokens, string Title = "Connectivity ‖∂hₜ′/∂xₜ‖");

public static partial class Charts
{
    /// <summary>
    /// Connectivity heatmap: colour is log₁₀ ‖∂h_t′/∂x_t‖, so each colour step is a factor of ten.
    /// A bright band along the diagonal that fades fast to the left shows a short memory.
    /// </summary>
    public static GenericChart ConnectivityHeatmap(ConnectivityData data)
    {
        const string chart = nameof(ConnectivityHeatmap);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Values, "Values");
        int outputs = data.Values.GetLength(0), inputs = data.Values.GetLength(1);
        Check.NotEmpty(chart, outputs * inputs, $"the connectivity matrix [{outputs}, {inputs}]");
        if (outputs != inputs)
            throw new RnnLabException($"{chart}: Values is [{outputs}, {inputs}] but must be square [T, T] (output step t′ × input step t).");
        Check.TokensMatchSteps(chart, data.Tokens, inputs, $"Values is [T={outputs}, T={inputs}]");

        var gaps = new Gaps();
        var z = new double?[outputs][];                                  // [t′][t] = log10 ‖∂h_t′/∂x_t‖
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int tp = 0; tp < outputs; tp++)
        {
            z[tp] = new double?[inputs];
            for (int t = 0; t <= tp; t++)                                // t > t′ stays null: causally zero
            {
                if (gaps.Keep(data.Values[tp, t], logScale: true) is not { } v) continue;
                double log = Math.Log10(v);
                z[tp][t] = log;
                lo = Math.Min(lo, log);
                hi = Math.Max(hi, log);
            }
        }
        if (double.IsInfinity(lo))
            throw new RnnLabException($"{chart}: no entry on or below the diagonal is positive, so there is nothing to draw on a log scale; " +
                                      "check that the Jacobians were recorded (all zero means the state ignores its inputs).");
        int first = (int)Math.Floor(lo), last = (int)Math.Ceiling(hi);
        if (first == last) last = first + 1;
        int every = Math.Max(1, (last - first) / 8);
        int[] ticks = Enumerable.Range(first, last - first + 1).Where(k => (k - first) % every == 0).ToArray();

        var heatmap = Figure.Trace("heatmap")
            .With("z", z)
            .With("x", Enumerable.Range(0, inputs).ToArray())
            .With("y", Enumerable.Range(0, outputs).ToArray())
            .With("colorscale", Style.Magnitude)
            .With("zmin", (double)first).With("zmax", (double)last)
            .With("colorbar", new
            {
                title = new { text = "‖∂hₜ′/∂xₜ‖", side = "right" }, thickness = 14,
                tickvals = ticks, ticktext = ticks.Select(k => $"1e{k}").ToArray(),
            })
            .With("hovertemplate", "input step t = %{x}<br>state step t′ = %{y}<br>log₁₀‖∂hₜ′/∂xₜ‖ = %{z:.2f}<extra></extra>")
            .With("hoverongaps", false);

        int side = Math.Clamp(140 + outputs * 12, 380, 800);
        var layout = Style.BaseLayout(data.Title, height: side, width: Math.Min(Style.Width, side + 140))
            .With("xaxis", TokenAxis.Apply(Figure.Axis("input step t (token)"), data.Tokens).With("constrain", "domain"))
            .With("yaxis", TokenAxis.Apply(Figure.Axis("state step t′ (token)"), data.Tokens, reversed: true)
                .With("scaleanchor", "x"));
        return Figure.Chart([heatmap], layout, gaps);
    }
}
