using System.Globalization;
using System.Text;

namespace RnnLab.Interactive;

/// <summary>
/// A matrix drawn as an inline SVG heatmap: one rectangle per value, optional row and column labels,
/// and a colour bar. Plain SVG with no script, so it renders offline, in any notebook front end and on GitHub.
/// Hovering a cell shows its value (an SVG &lt;title&gt;) when there are few enough cells.
/// </summary>
internal static class HeatmapSvg
{
    /// <summary>Above this many cells the SVG gets too heavy for a notebook; slice the data first.</summary>
    public const int MaxCells = 40_000;
    private const int TooltipCells = 2_500;
    private const double TitleCharWidth = 8;   // generous width of one bold 13 px sans-serif character

    public static string Render(double[] values, int rows, int cols, string? title,
        IReadOnlyList<string>? rowLabels, IReadOnlyList<string>? colLabels, string? xTitle, string? yTitle, bool stretch = false)
    {
        var inv = CultureInfo.InvariantCulture;
        var scale = ColorScale.For(values, stretch);
        double cw = Math.Clamp(640.0 / cols, 2, 40), ch = Math.Clamp(320.0 / rows, 2, 28);
        bool showRowLabels = rowLabels is not null || rows <= 40;
        bool showColLabels = colLabels is not null || cols <= 40;
        int maxRowLabel = showRowLabels ? Enumerable.Range(0, rows).Max(i => RowLabel(i).Length) : 0;
        int maxColLabel = showColLabels ? Enumerable.Range(0, cols).Max(j => ColLabel(j).Length) : 0;
        bool rotateCols = showColLabels && maxColLabel * 7 > cw;

        double left = 8 + (showRowLabels ? maxRowLabel * 7 + 6 : 0) + (yTitle is null ? 0 : 18);
        double top = 6 + (title is null ? 0 : 22) + (showColLabels ? (rotateCols ? maxColLabel * 6 + 8 : 16) : 0);
        double gridW = cw * cols, gridH = ch * rows;
        double barX = left + gridW + 16;
        double width = Math.Max(barX + 14 + 60, title is null ? 0 : left + title.Length * TitleCharWidth + 8);   // a narrow grid must not clip its title
        double height = top + gridH + (xTitle is null ? 8 : 28);

        var sb = new StringBuilder();
        sb.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rnnlab-heatmap\" width=\"{width:0}\" height=\"{height:0}\" ")
          .Append(inv, $"viewBox=\"0 0 {width:0} {height:0}\" font-family=\"sans-serif\" font-size=\"11\">");
        if (title is not null)
            sb.Append(inv, $"<text x=\"{left:0.#}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Html.Escape(title)}</text>");

        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double v = values[i * cols + j];
                sb.Append(inv, $"<rect x=\"{left + j * cw:0.##}\" y=\"{top + i * ch:0.##}\" width=\"{cw + 0.05:0.##}\" height=\"{ch + 0.05:0.##}\" fill=\"{scale.Color(v)}\"");
                if (rows * cols <= TooltipCells)
                    sb.Append("><title>").Append(Html.Escape($"{RowLabel(i)}, {ColLabel(j)}: {ColorScale.Format(v)}")).Append("</title></rect>");
                else sb.Append("/>");
            }

        if (showRowLabels)
            for (int i = 0; i < rows; i++)
                if (ch >= 9 || i % (int)Math.Ceiling(9 / ch) == 0)
                    sb.Append(inv, $"<text x=\"{left - 4:0.#}\" y=\"{top + (i + 0.5) * ch + 4:0.#}\" text-anchor=\"end\">{Html.Escape(RowLabel(i))}</text>");
        if (showColLabels)
            for (int j = 0; j < cols; j++)
            {
                if (!(cw >= 9 || j % (int)Math.Ceiling(9 / cw) == 0)) continue;
                double x = left + (j + 0.5) * cw;
                sb.Append(rotateCols
                    ? string.Create(inv, $"<text transform=\"translate({x + 3:0.#},{top - 4:0.#}) rotate(-60)\">{Html.Escape(ColLabel(j))}</text>")
                    : string.Create(inv, $"<text x=\"{x:0.#}\" y=\"{top - 4:0.#}\" text-anchor=\"middle\">{Html.Escape(ColLabel(j))}</text>"));
            }
        if (xTitle is not null)
            sb.Append(inv, $"<text x=\"{left + gridW / 2:0.#}\" y=\"{top + gridH + 20:0.#}\" text-anchor=\"middle\">{Html.Escape(xTitle)}</text>");
        if (yTitle is not null)
            sb.Append(inv, $"<text transform=\"translate(12,{top + gridH / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">{Html.Escape(yTitle)}</text>");

        AppendColorBar(sb, scale, barX, top, Math.Max(gridH, 60));
        return sb.Append("</svg>").ToString();

        string RowLabel(int i) => rowLabels is not null && i < rowLabels.Count ? rowLabels[i] : i.ToString(inv);
        string ColLabel(int j) => colLabels is not null && j < colLabels.Count ? colLabels[j] : j.ToString(inv);
    }

    private static void AppendColorBar(StringBuilder sb, ColorScale scale, double x, double top, double h)
    {
        var inv = CultureInfo.InvariantCulture;
        const int steps = 24;
        for (int k = 0; k < steps; k++)
        {
            double v = scale.High - (k + 0.5) / steps * (scale.High - scale.Low);
            sb.Append(inv, $"<rect x=\"{x:0.#}\" y=\"{top + k * h / steps:0.##}\" width=\"12\" height=\"{h / steps + 0.05:0.##}\" fill=\"{scale.Color(v)}\"/>");
        }
        sb.Append(inv, $"<text x=\"{x + 16:0.#}\" y=\"{top + 9:0.#}\">{ColorScale.Format(scale.High)}</text>");
        if (scale.IsDiverging) sb.Append(inv, $"<text x=\"{x + 16:0.#}\" y=\"{top + h / 2 + 4:0.#}\">0</text>");
        sb.Append(inv, $"<text x=\"{x + 16:0.#}\" y=\"{top + h:0.#}\">{ColorScale.Format(scale.Low)}</text>");
    }
}
