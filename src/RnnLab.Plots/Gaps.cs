namespace RnnLab.Plots;

/// <summary>
/// Turns numbers plotly.js cannot draw into gaps. NaN (and ±∞) become JSON <c>null</c>, which
/// plotly.js leaves blank; each builder then adds a visible note saying how many there were,
/// so a gap is never mistaken for missing data or a bug in the chart.
/// </summary>
internal sealed class Gaps
{
    public int NonFinite { get; private set; }
    public int NonPositive { get; private set; }

    /// <summary>Finite values pass through; NaN/±∞ become null. With <paramref name="logScale"/>, values ≤ 0 also become null.</summary>
    public double? Keep(double v, bool logScale = false)
    {
        if (!double.IsFinite(v)) { NonFinite++; return null; }
        if (logScale && v <= 0) { NonPositive++; return null; }
        return v;
    }

    public double?[] Series(IReadOnlyList<double> values, bool logScale = false) =>
        values.Select(v => Keep(v, logScale)).ToArray();

    /// <summary>A [rows, cols] matrix as plotly's z: an array of rows.</summary>
    public double?[][] Rows(double[,] values, Func<double, double>? map = null, bool logScale = false)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var z = new double?[rows][];
        for (int r = 0; r < rows; r++)
        {
            z[r] = new double?[cols];
            for (int c = 0; c < cols; c++)
            {
                double? v = Keep(values[r, c], logScale);
                z[r][c] = v is { } x && map is not null ? map(x) : v;
            }
        }
        return z;
    }

    /// <summary>Notes for the chart, one line per kind of gap (empty when everything was drawable).</summary>
    public IEnumerable<string> Notes()
    {
        if (NonFinite > 0)
            yield return $"⚠ {NonFinite} value{(NonFinite == 1 ? " is" : "s are")} NaN or infinite, drawn as gaps";
        if (NonPositive > 0)
            yield return $"⚠ {NonPositive} value{(NonPositive == 1 ? " is" : "s are")} ≤ 0, not drawable on the log scale (gaps)";
    }

    /// <summary>Pixels of top margin each note needs.</summary>
    public const int NoteHeight = 22;

    /// <summary>plotly.js annotations for <see cref="Notes"/>, stacked just above the plot area, left-aligned under the title.</summary>
    public object[] Annotations() =>
        Notes().Select((text, i) => (object)new
        {
            text,
            xref = "paper", yref = "paper", x = 0.0, y = 1.0, xanchor = "left", yanchor = "bottom",
            yshift = 4 + NoteHeight * i, showarrow = false,
            font = new { color = "#b35806", size = 12 },
            bgcolor = "#fff7e6", bordercolor = "#b35806", borderwidth = 1,
        }).ToArray();
}
