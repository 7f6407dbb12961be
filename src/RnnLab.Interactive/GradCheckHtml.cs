using System.Text;
using RnnLab.Autodiff;

namespace RnnLab.Interactive;

/// <summary>
/// A <see cref="GradCheckResult"/> as a table: for each input, the largest error between the tape's
/// gradient and the central difference, and the element where it happened.
/// </summary>
internal static class GradCheckHtml
{
    public const double Tolerance = 1e-6;

    public static string Render(GradCheckResult result)
    {
        bool ok = result.Passed(Tolerance);
        var sb = new StringBuilder("<div class=\"rnnlab-gradcheck\">");
        sb.Append($"<div style=\"{Html.Font};margin:2px 0 4px 0\"><b>GradCheck</b>: ")
          .Append(ok ? "<b style=\"color:#2e7d32\">passed</b>" : "<b style=\"color:#c62828\">FAILED</b>")
          .Append($" at tolerance {ColorScale.Format(Tolerance)} (max relative error {ColorScale.Format(result.MaxRelError)}; ")
          .Append("relative error = |analytic − numeric| / max(1, |analytic|, |numeric|))</div>");
        sb.Append(Show.Table(["input", "shape", "max abs err", "max rel err", "worst at", "analytic", "numeric", ""],
            result.Inputs.Select(i => (IReadOnlyList<object?>)
            [
                i.Name, Tensor.ShapeString(i.Shape), i.MaxAbsError, i.MaxRelError, Tensor.ShapeString(i.WorstIndex),
                i.Analytic, i.Numeric, i.MaxRelError <= Tolerance ? "✔" : "✘",
            ])).Html);
        return sb.Append("</div>").ToString();
    }
}
