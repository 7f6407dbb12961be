using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>Attention weights of one sequence: <c>Weights[i, j]</c> is how much target step i attends to source step j; each row sums to 1.</summary>
/// <param name="Weights">[targetLen, sourceLen], values in 0..1.</param>
public sealed record AttentionData(
    double[,] Weights,
    IReadOnlyList<string> SourceTokens,
    IReadOnlyList<string> TargetTokens,
    string Title = "Attention alignment");

public static partial class Charts
{
    /// <summary>
    /// Attention alignment heatmap: source tokens across, target tokens down, weight as colour on
    /// the 0..1 scale. A clean diagonal means the model translates word by word.
    /// </summary>
    public static GenericChart AttentionHeatmap(AttentionData data)
    {
        const string chart = nameof(AttentionHeatmap);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Weights, "Weights");
        int targets = data.Weights.GetLength(0), sources = data.Weights.GetLength(1);
        Check.NotEmpty(chart, targets * sources, $"the weight matrix [{targets}, {sources}]");
        Check.NotNull(chart, data.SourceTokens, "SourceTokens");
        Check.NotNull(chart, data.TargetTokens, "TargetTokens");
        if (data.SourceTokens.Count != sources)
            throw new RnnLabException($"{chart}: {data.SourceTokens.Count} source tokens for {sources} source steps (Weights is [target={targets}, source={sources}]); pass one source token per column.");
        if (data.TargetTokens.Count != targets)
            throw new RnnLabException($"{chart}: {data.TargetTokens.Count} target tokens for {targets} target steps (Weights is [target={targets}, source={sources}]); pass one target token per row.");
        foreach (double w in data.Weights)
            if (double.IsFinite(w) && (w < -1e-9 || w > 1 + 1e-9))
                throw new RnnLabException($"{chart}: weight {w} is outside 0..1; pass softmax-normalised attention weights, not scores.");

        var gaps = new Gaps();
        string[] src = TokenAxis.Display(data.SourceTokens), tgt = TokenAxis.Display(data.TargetTokens);
        var heatmap = Figure.Trace("heatmap")
            .With("z", gaps.Rows(data.Weights))                           // [target][source]
            .With("x", Enumerable.Range(0, sources).ToArray())
            .With("y", Enumerable.Range(0, targets).ToArray())
            .With("customdata", Enumerable.Range(0, targets).Select(i => src.Select(s => new[] { s, tgt[i] }).ToArray()).ToArray())
            .With("hovertemplate", "target %{customdata[1]} → source %{customdata[0]}<br>weight %{z:.3f}<extra></extra>")
            .With("colorscale", Style.Sequential)
            .With("zmin", 0.0).With("zmax", 1.0)
            .With("colorbar", Style.ColorBar("weight"))
            .With("hoverongaps", false);

        int height = Math.Clamp(160 + targets * 26, 340, 800);
        var layout = Style.BaseLayout(data.Title, height: height, width: Math.Clamp(220 + sources * 40, 520, Style.Width))
            .With("xaxis", TokenAxis.Apply(Figure.Axis("source token"), data.SourceTokens).With("side", "bottom"))
            .With("yaxis", TokenAxis.Apply(Figure.Axis("target token"), data.TargetTokens, reversed: true));
        return Figure.Chart([heatmap], layout, gaps);
    }
}
