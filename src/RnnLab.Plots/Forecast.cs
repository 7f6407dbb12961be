using Plotly.NET;

namespace RnnLab.Plots;

/// <summary>
/// A time series and the model's forecast of it. Steps before <see cref="Boundary"/> were used
/// for training, steps from it on only for validation (or testing: name the two sides with
/// <see cref="BeforeLabel"/> and <see cref="AfterLabel"/>).
/// </summary>
/// <param name="Actual">T observed values.</param>
/// <param name="Forecast">Predicted values for steps ForecastStart, ForecastStart+1, …</param>
/// <param name="Boundary">First validation step (0 &lt; Boundary &lt; T).</param>
/// <param name="ForecastStart">Time step of Forecast[0] (e.g. after a warm-up window).</param>
/// <param name="BeforeLabel">What the steps left of the boundary are, e.g. "training" or "validation".</param>
/// <param name="AfterLabel">What the shaded steps from the boundary on are, e.g. "validation" or "test".</param>
public sealed record ForecastData(
    IReadOnlyList<double> Actual,
    IReadOnlyList<double> Forecast,
    int Boundary,
    int ForecastStart = 0,
    string Title = "Forecast vs actual",
    string YTitle = "value",
    string XTitle = "time step",
    string BeforeLabel = "training",
    string AfterLabel = "validation");

public static partial class Charts
{
    /// <summary>
    /// Forecast against the actual series, with the boundary marked and labelled on both sides (training /
    /// validation unless the data says otherwise) and the region after it shaded: what the model never saw.
    /// </summary>
    public static GenericChart ForecastVsActual(ForecastData data)
    {
        const string chart = nameof(ForecastVsActual);
        Check.NotNull(chart, data, "the data");
        Check.NotNull(chart, data.Actual, "Actual");
        Check.NotNull(chart, data.Forecast, "Forecast");
        Check.NotEmpty(chart, data.Actual.Count, "the actual series");
        Check.NotEmpty(chart, data.Forecast.Count, "the forecast");
        int steps = data.Actual.Count;
        if (data.Boundary <= 0 || data.Boundary >= steps)
            throw new RnnLabException($"{chart}: Boundary = {data.Boundary} must be inside the series (1..{steps - 1}): it is the first validation step.");
        if (data.ForecastStart < 0 || data.ForecastStart + data.Forecast.Count > steps)
            throw new RnnLabException($"{chart}: the forecast covers steps {data.ForecastStart}..{data.ForecastStart + data.Forecast.Count - 1} " +
                                      $"but the actual series has steps 0..{steps - 1}; the forecast must lie within it.");

        var gaps = new Gaps();
        var actual = Figure.Trace("scatter")
            .With("x", Enumerable.Range(0, steps).ToArray()).With("y", gaps.Series(data.Actual))
            .With("mode", "lines").With("name", "actual")
            .With("line", new { color = "#333333", width = 2 })
            .With("hovertemplate", "actual<br>t = %{x}<br>%{y:.4g}<extra></extra>");
        var forecast = Figure.Trace("scatter")
            .With("x", Enumerable.Range(data.ForecastStart, data.Forecast.Count).ToArray()).With("y", gaps.Series(data.Forecast))
            .With("mode", "lines").With("name", "forecast")
            .With("line", new { color = Style.SeriesColor(1), width = 2 })
            .With("hovertemplate", "forecast<br>t = %{x}<br>%{y:.4g}<extra></extra>");

        double edge = data.Boundary - 0.5;
        var notes = new List<object>();
        notes.Add(new { text = "◀ " + data.BeforeLabel, x = edge, xref = "x", xanchor = "right", xshift = -6, y = 1.0, yref = "paper", yanchor = "top", showarrow = false, font = new { color = "#555555" } });
        notes.Add(new { text = data.AfterLabel + " ▶", x = edge, xref = "x", xanchor = "left", xshift = 6, y = 1.0, yref = "paper", yanchor = "top", showarrow = false, font = new { color = "#555555" } });
        var layout = Style.BaseLayout(data.Title, height: 440, legend: true)
            .With("xaxis", Figure.Axis(data.XTitle))
            .With("yaxis", Figure.Axis(data.YTitle))
            .With("shapes", new object[]
            {
                new { type = "rect", xref = "x", yref = "paper", x0 = edge, x1 = steps - 0.5, y0 = 0, y1 = 1, fillcolor = "#eeeeee", opacity = 0.6, line = new { width = 0 }, layer = "below" },
                VerticalLine(edge),
            })
            .With("annotations", notes);
        return Figure.Chart([actual, forecast], layout, gaps);
    }
}
