using System.Globalization;
using System.Net;
using System.Text;

namespace RnnLab.Plots.Html;

/// <summary>A candidate next token and its probability.</summary>
public sealed record Prediction(string Token, double Probability);

/// <summary>
/// Text read by a model, with one neuron's activation after each character.
/// </summary>
/// <param name="Tokens">T characters (or tokens) in reading order.</param>
/// <param name="Activations">T values of the neuron (tanh-valued, −1..1) after reading each token.</param>
/// <param name="TopPredictions">Optional: for each step, the model's most likely next tokens (the top 5 are shown).</param>
public sealed record NeuronTextData(
    IReadOnlyList<string> Tokens,
    IReadOnlyList<double> Activations,
    IReadOnlyList<IReadOnlyList<Prediction>>? TopPredictions = null,
    string Title = "Text coloured by one neuron");

/// <summary>
/// Karpathy-style "visualising and understanding RNNs" text: each character's background is the
/// neuron's activation on the same red–white–blue scale as the heatmaps, and hovering a character
/// shows the activation and the top-5 next-character predictions. Plain HTML and CSS, no script,
/// so it works in a report, a notebook output, or pasted into any page.
/// </summary>
public static class NeuronText
{
    public const int TopK = 5;

    public static string ToHtml(NeuronTextData data)
    {
        const string chart = "NeuronText";
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Tokens, "Tokens");
        Check.NotNull(chart, data.Activations, "Activations");
        Check.NotEmpty(chart, data.Tokens.Count, "the text");
        Check.TokensMatchSteps(chart, data.Tokens, data.Activations.Count, $"{data.Activations.Count} activations");
        if (data.TopPredictions is { } top)
            Check.SameLength(chart, data.Tokens.Count, top.Count, "TopPredictions", "Tokens");

        var html = new StringBuilder();
        html.Append("<div class=\"rnnlab-neuron-text\">\n<style>")
            .Append(".rnnlab-neuron-text{font-family:system-ui,sans-serif;margin:8px 0 16px}")
            .Append(".rnnlab-neuron-text .nt-title{font-size:16px;margin:0 0 6px}")
            .Append(".rnnlab-neuron-text .nt-body{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;font-size:15px;line-height:1.9;white-space:pre-wrap;word-break:break-all;border:1px solid #ddd;padding:8px 10px;border-radius:4px;background:#fff}")
            .Append(".rnnlab-neuron-text .nt-c{padding:1px 0;cursor:default}")
            .Append(".rnnlab-neuron-text .nt-c:hover{outline:2px solid #222}")
            .Append(".rnnlab-neuron-text .nt-nan{background:repeating-linear-gradient(45deg,#ddd,#ddd 3px,#fff 3px,#fff 6px)}")
            .Append(".rnnlab-neuron-text .nt-legend{font-size:12px;color:#444;margin-top:6px;display:flex;align-items:center;gap:6px}")
            .Append(".rnnlab-neuron-text .nt-bar{display:inline-block;width:180px;height:10px;border:1px solid #bbb;background:linear-gradient(to right,")
            .Append(string.Join(",", Style.Diverging.Select(s => $"{s[1]} {(double)s[0] * 100:0}%"))).Append(")}")
            .Append(".rnnlab-neuron-text .nt-note{color:#b35806;font-size:13px;margin-top:4px}")
            .Append("</style>\n")
            .Append("<div class=\"nt-title\">").Append(WebUtility.HtmlEncode(data.Title)).Append("</div>\n<div class=\"nt-body\">");

        int nonFinite = 0;
        for (int t = 0; t < data.Tokens.Count; t++)
        {
            string token = data.Tokens[t];
            double a = data.Activations[t];
            bool finite = double.IsFinite(a);
            if (!finite) nonFinite++;
            string tip = Tooltip(t, token, a, data.TopPredictions?[t]);
            // A newline is shown as ↵ and then breaks the line, so its colour stays visible.
            string shown = token == "\n" ? "↵\n" : token;
            html.Append("<span class=\"nt-c").Append(finite ? "" : " nt-nan").Append('"')
                .Append(finite ? $" style=\"background:{Style.DivergingColor(a)}\"" : "")
                .Append(" data-activation=\"").Append(finite ? a.ToString("R", CultureInfo.InvariantCulture) : "NaN").Append('"')
                .Append(" title=\"").Append(WebUtility.HtmlEncode(tip)).Append("\">")
                .Append(WebUtility.HtmlEncode(shown)).Append("</span>");
        }
        html.Append("</div>\n<div class=\"nt-legend\"><span>−1</span><span class=\"nt-bar\"></span><span>+1</span>")
            .Append("<span>activation (hover a character for the top-").Append(TopK).Append(" next-character predictions)</span></div>\n");
        if (nonFinite > 0)
            html.Append("<div class=\"nt-note\">⚠ ").Append(nonFinite)
                .Append(nonFinite == 1 ? " activation is" : " activations are").Append(" NaN or infinite, shown hatched</div>\n");
        html.Append("</div>\n");
        return html.ToString();
    }

    private static string Tooltip(int t, string token, double activation, IReadOnlyList<Prediction>? predictions)
    {
        var tip = new StringBuilder();
        tip.Append(CultureInfo.InvariantCulture, $"step {t}, '{TokenAxis.Display(token)}': activation {activation:+0.000;-0.000;0.000}");
        if (predictions is { Count: > 0 })
        {
            tip.Append("\nnext:");
            foreach (var p in predictions.OrderByDescending(p => p.Probability).Take(TopK))
                tip.Append(CultureInfo.InvariantCulture, $"\n  '{TokenAxis.Display(p.Token)}' {p.Probability * 100:0.0}%");
        }
        return tip.ToString();
    }
}
