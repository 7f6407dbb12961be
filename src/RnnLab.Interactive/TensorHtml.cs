using System.Text;
using RnnLab.Autodiff;

namespace RnnLab.Interactive;

/// <summary>
/// A tensor as an HTML table: the summary line of <see cref="Tensor.ToString"/> (shape, name, min/max/mean),
/// then the values with each cell tinted by its value. Big tensors show their first and last rows and
/// columns; rank-3 and rank-4 tensors show their first few [rows, columns] slices. A tensor that has
/// received a gradient shows the gradient the same way underneath.
/// </summary>
internal static class TensorHtml
{
    private const int MaxRows = 12, MaxCols = 12, MaxSlices = 3;

    public static string Render(Tensor t)
    {
        var sb = new StringBuilder();
        sb.Append($"<div class=\"rnnlab-tensor\" style=\"{Html.Font}\">");
        sb.Append("<div style=\"margin:2px 0 4px 0\"><b>").Append(Html.Escape(Summary(t))).Append("</b></div>");
        AppendValues(sb, t.Data, t.Shape);
        if (t.Grad is not null)
        {
            var grad = new Tensor((double[])t.Grad.Clone(), t.Shape);
            sb.Append("<div style=\"margin:8px 0 4px 0\"><b>grad</b> ∂L/∂").Append(Html.Escape(t.Name ?? "this"))
              .Append(": ").Append(Html.Escape(Stats(grad))).Append("</div>");
            AppendValues(sb, grad.Data, grad.Shape);
        }
        return sb.Append("</div>").ToString();
    }

    // First line of Tensor.ToString: "Tensor [2, 3] "W" (parameter) min .., max .., mean ..".
    private static string Summary(Tensor t) => t.ToString().Split('\n')[0].TrimEnd();

    private static string Stats(Tensor t)
    {
        string line = Summary(t);
        int at = line.IndexOf(" min ", StringComparison.Ordinal);
        return at < 0 ? "" : line[(at + 1)..];
    }

    private static void AppendValues(StringBuilder sb, double[] data, int[] shape)
    {
        var scale = ColorScale.For(data);
        switch (shape.Length)
        {
            case 0:
                AppendTable(sb, data, 0, 1, 1, scale, rowHeaders: false);
                break;
            case 1:
                AppendTable(sb, data, 0, 1, shape[0], scale, rowHeaders: false);
                break;
            default:
                int rows = shape[^2], cols = shape[^1], sliceSize = rows * cols;
                int slices = data.Length / Math.Max(1, sliceSize);
                if (sliceSize == 0) { sb.Append("<div>(empty)</div>"); return; }
                foreach (int s in Html.Edges(slices, MaxSlices))
                {
                    if (s < 0) { sb.Append("<div>⋮</div>"); continue; }
                    if (shape.Length > 2)
                        sb.Append("<div style=\"margin-top:4px\">").Append(Html.Escape(SliceLabel(shape, s))).Append("</div>");
                    AppendTable(sb, data, s * sliceSize, rows, cols, scale, rowHeaders: true);
                }
                break;
        }
    }

    // "[1, 0, :, :]" for slice 4 of a [2, 3, R, C] tensor.
    private static string SliceLabel(int[] shape, int slice)
    {
        var lead = new int[shape.Length - 2];
        for (int d = lead.Length - 1; d >= 0; d--)
        {
            lead[d] = slice % shape[d];
            slice /= shape[d];
        }
        return "[" + string.Join(", ", lead) + ", :, :]";
    }

    private static void AppendTable(StringBuilder sb, double[] data, int offset, int rows, int cols, ColorScale scale, bool rowHeaders)
    {
        const string cell = "padding:2px 6px;text-align:right;border:1px solid #ddd";
        const string head = "padding:2px 6px;text-align:right;color:#888;border:1px solid #ddd;font-weight:normal";
        sb.Append("<table style=\"border-collapse:collapse;margin:2px 0\">");
        var colIdx = Html.Edges(cols, MaxCols).ToArray();
        if (cols > 1 || rowHeaders)
        {
            sb.Append("<tr>");
            if (rowHeaders) sb.Append($"<th style=\"{head}\"></th>");
            foreach (int j in colIdx) sb.Append($"<th style=\"{head}\">").Append(j < 0 ? "…" : j.ToString()).Append("</th>");
            sb.Append("</tr>");
        }
        foreach (int i in Html.Edges(rows, MaxRows))
        {
            sb.Append("<tr>");
            if (rowHeaders) sb.Append($"<th style=\"{head}\">").Append(i < 0 ? "⋮" : i.ToString()).Append("</th>");
            foreach (int j in colIdx)
            {
                if (i < 0 || j < 0) { sb.Append($"<td style=\"{cell};color:#888\">").Append(i < 0 ? "⋮" : "…").Append("</td>"); continue; }
                double v = data[offset + i * cols + j];
                string color = double.IsFinite(v) ? "" : ";color:#c62828;font-weight:bold";
                sb.Append($"<td style=\"{cell};background:{scale.Tint(v)}{color}\">").Append(ColorScale.Format(v)).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");
    }
}
