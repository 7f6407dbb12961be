using System.Globalization;
using System.Text;
using RnnLab.Probes;

namespace RnnLab.Interactive;

/// <summary>
/// A probe's <see cref="Trace"/> at a glance: what was recorded for each layer, and the hidden state of
/// the last layer (first sequence of the batch) as a [unit × time step] heatmap labelled with the tokens.
/// Without this a trace would print as thousands of nested numbers.
/// </summary>
internal static class TraceHtml
{
    private const int MaxTokenLabels = 80;

    public static string Render(Trace trace)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<div class=\"rnnlab-trace\">");
        sb.Append($"<div style=\"{Html.Font};margin:2px 0 4px 0\"><b>Trace</b>: ")
          .Append(Html.Escape(string.Create(inv,
              $"{trace.Kind}, {trace.Steps} steps, batch {trace.Batch}, input {trace.InputSize}, hidden {trace.HiddenSize}, {trace.Layers.Length} layer trace(s)")));
        if (trace.Loss is double loss) sb.Append(Html.Escape(string.Create(inv, $", loss {ColorScale.Format(loss)}")));
        sb.Append("</div>");

        sb.Append(Show.Table(["layer", "direction", "recorded", "‖∂L/∂h_t‖ first → last"], trace.Layers.Select(l => (IReadOnlyList<object?>)
        [
            l.Layer, l.Reverse ? "reverse" : "forward", Recorded(l),
            l.HGradNorm is { Length: > 0 } g ? $"{ColorScale.Format(g[0])} → {ColorScale.Format(g[^1])}" : "",
        ])).Html);

        if (trace.Layers.Length > 0 && trace.Steps > 0 && trace.Batch > 0 && trace.HiddenSize > 0)
        {
            var last = trace.LastLayer();
            int units = trace.HiddenSize, steps = trace.Steps;
            if ((long)units * steps <= HeatmapSvg.MaxCells)
            {
                var values = new double[units * steps];   // [H, T]: one row per unit, one column per step
                for (int t = 0; t < steps; t++)
                    for (int j = 0; j < units; j++) values[j * steps + t] = last.H[t][0][j];
                var tokens = trace.Tokens is { } tk && tk.Length == steps && steps <= MaxTokenLabels ? tk.Select(Visible).ToArray() : null;
                sb.Append("<div style=\"margin-top:6px\">")
                  .Append(HeatmapSvg.Render(values, units, steps, $"h_t, layer {last.Layer}, sequence 0", null, tokens, "time step", "hidden unit"))
                  .Append("</div>");
            }
            else sb.Append($"<div style=\"{Html.Font}\">(h_t has {units} × {steps} values: too many to draw inline; use the Plots charts)</div>");
        }
        return sb.Append("</div>").ToString();
    }

    // A space or newline as a token would be an invisible label.
    private static string Visible(string token) => token switch { " " => "␣", "\n" => "⏎", "\t" => "⇥", _ => token };

    private static string Recorded(LayerTrace l)
    {
        var parts = new List<string> { "h" };
        if (l.C is not null) parts.Add("c");
        if (l.Gates.Length > 0) parts.Add("gates " + string.Join(",", l.Gates.Select(g => g.Name)));
        if (l.HGradNorm is not null) parts.Add("‖∂L/∂h‖");
        if (l.CGradNorm is not null) parts.Add("‖∂L/∂c‖");
        return string.Join(", ", parts);
    }
}
