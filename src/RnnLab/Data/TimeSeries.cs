using System.Globalization;

namespace RnnLab.Data;

/// <summary>A series of dated values in time order (strictly increasing dates).</summary>
public sealed record TimeSeries(string Name, DateOnly[] Dates, double[] Values)
{
    public int Count => Values.Length;
}

/// <summary>
/// Reads a two-column CSV of dates and numbers (<c>Date,Value</c>), strictly: the header must name the
/// expected columns, every row needs exactly two fields, a date in the given format and a finite number,
/// and the dates must increase. Each problem is its own <see cref="RnnLabException"/> naming the file and line.
/// </summary>
public static class TimeSeriesCsv
{
    public static TimeSeries Read(string path, string dateColumn, string valueColumn, string dateFormat, string? name = null)
    {
        string[] lines = TextFiles.ReadLines(path);
        int headerLine = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (headerLine < 0) throw new RnnLabException($"{path}: the file holds only blank lines; expected the header '{dateColumn},{valueColumn}' and rows of data");

        string[] header = Fields(lines[headerLine]);
        if (header.Length != 2 || !header[0].Equals(dateColumn, StringComparison.OrdinalIgnoreCase)
                               || !header[1].Equals(valueColumn, StringComparison.OrdinalIgnoreCase))
            throw new RnnLabException($"{path}, line {headerLine + 1}: expected the column header '{dateColumn},{valueColumn}' but found '{lines[headerLine]}'. " +
                                      "Is this the right file?");

        var dates = new List<DateOnly>();
        var values = new List<double>();
        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            string where = $"{path}, line {i + 1}";
            string[] f = Fields(lines[i]);
            if (f.Length != 2)
                throw new RnnLabException($"{where}: malformed row: expected 2 comma-separated fields ({dateColumn},{valueColumn}) but found {f.Length}: '{lines[i]}'");
            if (!DateOnly.TryParseExact(f[0], dateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date))
                throw new RnnLabException($"{where}: cannot read the date '{f[0]}' in column {dateColumn}: expected the format {dateFormat}");
            if (!double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw new RnnLabException($"{where}: '{f[1]}' in column {valueColumn} is not a number");
            if (dates.Count > 0 && date <= dates[^1])
                throw new RnnLabException($"{where}: the date {date:yyyy-MM-dd} does not come after the previous row's {dates[^1]:yyyy-MM-dd}; rows must be in time order");
            dates.Add(date);
            values.Add(value);
        }
        if (values.Count == 0) throw new RnnLabException($"{path}: has a header but no rows of data");
        return new TimeSeries(name ?? Path.GetFileNameWithoutExtension(path), [.. dates], [.. values]);
    }

    // Comma-separated fields, trimmed, surrounding double quotes removed ("date" -> date).
    private static string[] Fields(string line) => line.Split(',').Select(f =>
    {
        f = f.Trim();
        return f.Length >= 2 && f[0] == '"' && f[^1] == '"' ? f[1..^1].Trim() : f;
    }).ToArray();
}

/// <summary>The three real time series of the lessons.</summary>
public static class TimeSeriesDatasets
{
    /// <summary>Daily minimum temperature in Melbourne, 1981–1990, °C (3650 days).</summary>
    public static TimeSeries MelbourneTemperatures(string? path = null, DatasetFetcher? fetcher = null) =>
        TimeSeriesCsv.Read(Fetch(Datasets.DailyMinTemperatures, path, fetcher), "Date", "Temp", "yyyy-MM-dd", "Melbourne daily minimum temperature (°C)");

    /// <summary>Monthly international airline passengers, thousands, 1949–1960 (144 months).</summary>
    public static TimeSeries AirPassengers(string? path = null, DatasetFetcher? fetcher = null) =>
        TimeSeriesCsv.Read(Fetch(Datasets.AirPassengers, path, fetcher), "date", "value", "yyyy-MM-dd", "Airline passengers (thousands per month)");

    /// <summary>Daily closing price of one stock, Aug 2018 – Aug 2019 (252 trading days); the file's dates are day-first (dd-MM-yyyy).</summary>
    public static TimeSeries StockPrice(string? path = null, DatasetFetcher? fetcher = null) =>
        TimeSeriesCsv.Read(Fetch(Datasets.StockPrice, path, fetcher), "Date", "Price", "dd-MM-yyyy", "Stock closing price");

    private static string Fetch(DatasetInfo info, string? path, DatasetFetcher? fetcher) =>
        (fetcher ?? new DatasetFetcher()).Fetch(info.Name, path).Path;
}
