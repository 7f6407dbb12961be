using System.Text;

namespace RnnLab.Interactive;

/// <summary>
/// The verdict of an exercise check: a green box when right, a red one with what was expected when not.
/// The HTML carries <c>data-rnnlab-check="pass"</c> or <c>"fail"</c>, which the notebook tests read.
/// </summary>
public sealed record CheckResult(bool Passed, string Message, string? Detail = null)
{
    /// <summary>The word shown in the box when the check passes ("Correct" for exercises).</summary>
    public string PassLabel { get; init; } = "Correct";

    /// <summary>The word shown in the box when the check fails ("Not yet" for exercises).</summary>
    public string FailLabel { get; init; } = "Not yet";

    public override string ToString() => (Passed ? "✔ " : "✘ ") + Message + (Detail is null ? "" : "\n" + Detail);

    public string ToHtml()
    {
        var (border, background, mark) = Passed ? ("#2e7d32", "#e8f5e9", "✔ " + PassLabel) : ("#c62828", "#ffebee", "✘ " + FailLabel);
        var sb = new StringBuilder();
        sb.Append($"<div class=\"rnnlab-check\" data-rnnlab-check=\"{(Passed ? "pass" : "fail")}\" ")
          .Append($"style=\"border-left:5px solid {border};background:{background};padding:6px 10px;margin:4px 0;font-family:sans-serif\">")
          .Append($"<b style=\"color:{border}\">{Html.Escape(mark)}</b> — ").Append(Html.Escape(Message));
        if (Detail is not null)
            sb.Append("<pre style=\"margin:4px 0 0 0;white-space:pre-wrap;font-size:12px\">").Append(Html.Escape(Detail)).Append("</pre>");
        return sb.Append("</div>").ToString();
    }
}
