using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// A recorded sequence of states, one column per time step: <c>Values[unit, t]</c> is unit
/// <c>unit</c> of h_t after reading <c>Tokens[t]</c>.
/// </summary>
/// <param name="Values">[units, T], tanh-valued (−1..1).</param>
/// <param name="Tokens">T input tokens, one per time step.</param>
public sealed record StateHeatmapData(double[,] Values, IReadOnlyList<string> Tokens, string Title = "Hidden state hₜ over time", string ValueName = "h");

public static partial class Charts
{
    /// <summary>
    /// Hidden-state heatmap: units down, time across, the input tokens along the time axis.
    /// Diverging colours fixed to −1..1 and centred at 0, so a saturated unit (tanh near ±1)
    /// is dark and an idle one (near 0) is white.
    /// </summary>
    public static GenericChart HiddenStateHeatmap(StateHeatmapData data)
    {
        const string chart = nameof(HiddenStateHeatmap);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Values, "Values");
        int units = data.Values.GetLength(0), steps = data.Values.GetLength(1);
        Check.NotEmpty(chart, units * steps, $"the state matrix [{units}, {steps}]");
        Check.TokensMatchSteps(chart, data.Tokens, steps, $"Values is [units={units}, T={steps}]");

        var gaps = new Gaps();
        var heatmap = Figure.Trace("heatmap")
            .With("z", gaps.Rows(data.Values))                           // [units][T]
            .With("x", Enumerable.Range(0, steps).ToArray())
            .With("y", Enumerable.Range(0, units).ToArray())
            .With("text", TokenGrid(data.Tokens, units))
            .With("hovertemplate", $"step %{{x}}, token %{{text}}<br>unit %{{y}}<br>{data.ValueName} = %{{z:.3f}}<extra></extra>")
            .With("colorscale", Style.Diverging)
            .With("zmin", -1.0).With("zmax", 1.0).With("zmid", 0.0)
            .With("colorbar", Style.ColorBar(data.ValueName))
            .With("hoverongaps", false);

        var layout = Style.BaseLayout(data.Title, height: Math.Clamp(140 + units * 14, 320, 760))
            .With("xaxis", TokenAxis.Apply(Figure.Axis("time step t (input token)"), data.Tokens))
            .With("yaxis", Figure.Axis("unit").With("autorange", "reversed"));
        return Figure.Chart([heatmap], layout, gaps);
    }

    /// <summary>The token of each column repeated for every row, for heatmap hover text.</summary>
    internal static string[][] TokenGrid(IReadOnlyList<string> tokens, int rows)
    {
        string[] row = TokenAxis.Display(tokens);
        return Enumerable.Range(0, rows).Select(_ => row).ToArray();
    }
}
