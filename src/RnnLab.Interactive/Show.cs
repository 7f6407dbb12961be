using System.Globalization;
using System.Reflection;
using System.Text;
using RnnLab.Autodiff;
using Module = RnnLab.Nn.Module;

namespace RnnLab.Interactive;

/// <summary>
/// Display helpers for notebook cells. Each returns an <see cref="HtmlView"/>: make it the last
/// expression of a cell, or pass it to <c>display(...)</c> to show several from one cell.
/// </summary>
public static class Show
{
    /// <summary>A tensor as a table (what a cell shows for a bare tensor after <see cref="Notebook.Setup"/>).</summary>
    public static HtmlView Tensor(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new HtmlView(TensorHtml.Render(t));
    }

    /// <summary>A model's parameters: name, shape, size, value statistics and, after backward, gradient norms.</summary>
    public static HtmlView Model(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new HtmlView(ModelHtml.Render(model));
    }

    /// <summary>A gradient check's outcome as a table (what a cell shows for a bare <see cref="GradCheckResult"/>).</summary>
    public static HtmlView GradCheck(GradCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new HtmlView(GradCheckHtml.Render(result));
    }

    /// <summary>A probe trace: what each layer recorded, and the last layer's hidden state as a heatmap.</summary>
    public static HtmlView Trace(Probes.Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new HtmlView(TraceHtml.Render(trace));
    }

    /// <summary>
    /// A rank-1 or rank-2 tensor as an SVG heatmap: rows top to bottom, columns left to right.
    /// Signed data gets the charts' diverging scale centred on 0 (blue negative, white 0, red positive, as in every
    /// RnnLab heatmap); data in 0..1 (gates, attention weights) gets the gate charts' grey scale fixed to 0..1
    /// (white 0, black 1); other one-signed data gets viridis from its smallest to its largest value.
    /// <paramref name="stretch"/> spreads the grey scale of 0..1 data from its smallest to its largest value
    /// instead, to make small differences visible (nearly uniform attention weights, for instance).
    /// </summary>
    public static HtmlView Heatmap(Tensor t, string? title = null, IReadOnlyList<string>? rowLabels = null,
        IReadOnlyList<string>? colLabels = null, string? xTitle = null, string? yTitle = null, bool stretch = false)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Rank is not (1 or 2))
            throw new RnnLabException($"Show.Heatmap: needs a rank-1 or rank-2 tensor, got shape {Autodiff.Tensor.ShapeString(t.Shape)}; select a slice first");
        int rows = t.Rank == 1 ? 1 : t.Shape[0], cols = t.Shape[^1];
        if (rows == 0 || cols == 0)
            throw new RnnLabException($"Show.Heatmap: tensor of shape {Autodiff.Tensor.ShapeString(t.Shape)} has no values to draw");
        if ((long)rows * cols > HeatmapSvg.MaxCells)
            throw new RnnLabException($"Show.Heatmap: {rows} × {cols} = {(long)rows * cols} cells is more than {HeatmapSvg.MaxCells} to draw inline; show a slice (fewer rows or time steps) instead");
        if (rowLabels is not null && rowLabels.Count != rows)
            throw new RnnLabException($"Show.Heatmap: {rowLabels.Count} row labels given for {rows} rows");
        if (colLabels is not null && colLabels.Count != cols)
            throw new RnnLabException($"Show.Heatmap: {colLabels.Count} column labels given for {cols} columns");
        return new HtmlView(HeatmapSvg.Render(t.Data, rows, cols, title, rowLabels, colLabels, xTitle, yTitle, stretch));
    }

    /// <summary>A table with the given column headers and rows; numbers are printed with 4 significant digits.</summary>
    public static HtmlView Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        const string cellStyle = "padding:3px 8px;border:1px solid #ddd;text-align:right";
        var sb = new StringBuilder($"<table class=\"rnnlab-table\" style=\"border-collapse:collapse;{Interactive.Html.Font}\"><tr>");
        foreach (string h in headers) sb.Append($"<th style=\"{cellStyle};background:#f3f3f3\">").Append(Interactive.Html.Escape(h)).Append("</th>");
        sb.Append("</tr>");
        int r = 0;
        foreach (var row in rows)
        {
            r++;
            if (row.Count != headers.Count)
                throw new RnnLabException($"Show.Table: row {r} has {row.Count} values but there are {headers.Count} headers");
            sb.Append("<tr>");
            foreach (object? v in row)
                sb.Append($"<td style=\"{cellStyle}{(IsNumber(v) ? "" : ";text-align:left")}\">").Append(Interactive.Html.Escape(FormatCell(v))).Append("</td>");
            sb.Append("</tr>");
        }
        return new HtmlView(sb.Append("</table>").ToString());
    }

    /// <summary>A table with one row per item and one column per public property (handy for records).</summary>
    public static HtmlView Table<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var props = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        return Table(props.Select(p => p.Name).ToArray(), items.Select(it => (IReadOnlyList<object?>)props.Select(p => p.GetValue(it)).ToArray()));
    }

    /// <summary>Raw HTML, shown as is.</summary>
    public static HtmlView Html(string html) => new(html ?? "");

    private static bool IsNumber(object? v) => v is double or float or int or long or decimal or short or byte or uint or ulong;

    private static string FormatCell(object? v) => v switch
    {
        null => "",
        double d => ColorScale.Format(d),
        float f => ColorScale.Format(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
