using RnnLab.Data;

namespace RnnLab.Tests.Data;

public sealed class TimeSeriesTests
{
    [Fact]
    public void Melbourne_temperatures_load_3650_days()
    {
        TimeSeries s = TimeSeriesDatasets.MelbourneTemperatures(fetcher: TestData.Fetcher());
        Assert.Equal(3650, s.Count);
        Assert.Equal(new DateOnly(1981, 1, 1), s.Dates[0]);
        Assert.Equal(20.7, s.Values[0]);
        Assert.Equal(new DateOnly(1990, 12, 31), s.Dates[^1]);
    }

    [Fact]
    public void Air_passengers_load_144_months()
    {
        TimeSeries s = TimeSeriesDatasets.AirPassengers(fetcher: TestData.Fetcher());
        Assert.Equal(144, s.Count);
        Assert.Equal((new DateOnly(1949, 1, 1), 112.0), (s.Dates[0], s.Values[0]));
        Assert.Equal((new DateOnly(1960, 12, 1), 432.0), (s.Dates[^1], s.Values[^1]));
    }

    [Fact]
    public void Stock_price_reads_day_first_dates()
    {
        TimeSeries s = TimeSeriesDatasets.StockPrice(fetcher: TestData.Fetcher());
        Assert.Equal(252, s.Count);
        Assert.Equal((new DateOnly(2018, 8, 14), 23.02), (s.Dates[0], s.Values[0]));   // "14-08-2018"
        Assert.Equal((new DateOnly(2019, 8, 14), 22.110001), (s.Dates[^1], s.Values[^1]));
    }

    [Theory]
    [InlineData("Date,Temp\n1981-01-01,20.7\n1981-01-02,17.9,extra\n", "line 3", "malformed row")]
    [InlineData("Date,Temp\n1981-01-01,20.7\n1981-01-02\n", "line 3", "expected 2 comma-separated fields")]
    [InlineData("Day,Temperature\n1981-01-01,20.7\n", "line 1", "expected the column header 'Date,Temp'")]
    [InlineData("Date,Temp\n1981-01-01,20.7\n01/02/1981,17.9\n", "line 3", "cannot read the date '01/02/1981' in column Date: expected the format yyyy-MM-dd")]
    [InlineData("Date,Temp\n1981-01-01,20.7\n1981-02-30,17.9\n", "line 3", "cannot read the date '1981-02-30'")]
    [InlineData("Date,Temp\n1981-01-01,?0.2\n", "line 2", "'?0.2' in column Temp is not a number")]
    [InlineData("Date,Temp\n1981-01-02,20.7\n1981-01-01,17.9\n", "line 3", "must be in time order")]
    [InlineData("Date,Temp\n\n", "", "no rows of data")]
    [InlineData("\n \n", "", "only blank lines")]
    public void Malformed_csv_files_get_their_own_message_naming_file_and_line(string content, string line, string message)
    {
        using var dir = new TempDir();
        string path = dir.File("daily-min-temperatures.csv", content);
        var ex = Assert.Throws<RnnLabException>(() => TimeSeriesCsv.Read(path, "Date", "Temp", "yyyy-MM-dd"));
        Assert.StartsWith(path, ex.Message);
        Assert.Contains(line, ex.Message);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Month_first_dates_in_the_day_first_stock_file_are_reported()
    {
        using var dir = new TempDir();
        string path = dir.File("stock_price.csv", "Date,Price\n14-08-2018,23.02\n08-16-2018,23.5\n");
        var ex = Assert.Throws<RnnLabException>(() => TimeSeriesCsv.Read(path, "Date", "Price", "dd-MM-yyyy"));
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("'08-16-2018'", ex.Message);
        Assert.Contains("dd-MM-yyyy", ex.Message);
    }

    [Fact]
    public void Empty_and_wrongly_encoded_files_are_reported()
    {
        using var dir = new TempDir();
        string empty = dir.File("empty.csv", "");
        Assert.Contains("empty (0 bytes)", Assert.Throws<RnnLabException>(() => TimeSeriesCsv.Read(empty, "Date", "Temp", "yyyy-MM-dd")).Message);

        // UTF-16 (what some spreadsheet programs save as "Unicode text") is not UTF-8.
        string utf16 = dir.File("utf16.csv", System.Text.Encoding.Unicode.GetBytes("Date,Temp\n1981-01-01,20.7\n"));
        var ex = Assert.Throws<RnnLabException>(() => TimeSeriesCsv.Read(utf16, "Date", "Temp", "yyyy-MM-dd"));
        Assert.Contains(utf16, ex.Message);
        Assert.Contains("not UTF-8", ex.Message);

        string latin1 = dir.File("latin1.csv", [.. "Date,Temp\n1981-01-01,20.7 "u8, 0xB0, (byte)'C', (byte)'\n']);
        ex = Assert.Throws<RnnLabException>(() => TimeSeriesCsv.Read(latin1, "Date", "Temp", "yyyy-MM-dd"));
        Assert.Contains("line 2 is not valid UTF-8 (byte 0xB0", ex.Message);
    }

    [Fact]
    public void Quoted_headers_and_crlf_line_ends_are_accepted()
    {
        using var dir = new TempDir();
        string path = dir.File("a.csv", "\"date\",\"value\"\r\n1949-01-01,112\r\n1949-02-01,118\r\n");
        TimeSeries s = TimeSeriesCsv.Read(path, "date", "value", "yyyy-MM-dd");
        Assert.Equal([112.0, 118.0], s.Values);
    }

    [Fact]
    public void Splits_are_in_time_order_and_never_leak_the_future()
    {
        TimeSeries s = TimeSeriesDatasets.MelbourneTemperatures(fetcher: TestData.Fetcher());
        const int w = 30, h = 7;
        ForecastData d = Forecasting.Prepare(s, w, h, trainFraction: 0.7, validationFraction: 0.15);
        Assert.Equal(2555, d.TrainEnd);
        Assert.Equal(3103, d.ValidationEnd);

        // The normaliser saw the training part only.
        double trainMean = s.Values[..d.TrainEnd].Average();
        Assert.Equal(trainMean, d.Normaliser.Mean, 12);
        Assert.NotEqual(s.Values.Average(), d.Normaliser.Mean, 6);

        // Targets stay inside their own part; inputs come strictly before targets.
        foreach ((WindowSet set, int lo, int hi) in new[] { (d.Train, 0, d.TrainEnd), (d.Validation, d.TrainEnd, d.ValidationEnd), (d.Test, d.ValidationEnd, s.Count) })
            foreach (int p in set.TargetStart)
            {
                Assert.InRange(p, Math.Max(lo, w), hi - h);
            }
        DateOnly lastTrainDate = s.Dates[d.Train.TargetStart.Max() + h - 1];
        Assert.True(s.Dates[d.Validation.TargetStart.Min()] > lastTrainDate);
        Assert.True(s.Dates[d.Test.TargetStart.Min()] > s.Dates[d.Validation.TargetStart.Max() + h - 1]);

        // Window contents are the normalised series.
        int i = 17, start = d.Validation.TargetStart[i];
        Assert.Equal(d.Normaliser.Transform(s.Values[start - w]), d.Validation.Inputs[i * w]);
        Assert.Equal(d.Normaliser.Transform(s.Values[start + h - 1]), d.Validation.Targets[i * h + h - 1]);
        Assert.Equal(d.Validation.Inputs[i * w + 5], d.Validation.InputSequence()[5, i, 0]);

        // Changing the future changes nothing the model trains on.
        double[] altered = (double[])s.Values.Clone();
        for (int k = d.TrainEnd; k < altered.Length; k++) altered[k] = 1000 + k;
        ForecastData d2 = Forecasting.Prepare(s with { Values = altered }, w, h, 0.7, 0.15);
        Assert.Equal(d.Normaliser, d2.Normaliser);
        Assert.Equal(d.Train.Inputs, d2.Train.Inputs);
        Assert.Equal(d.Train.Targets, d2.Train.Targets);
    }

    [Fact]
    public void Standardizer_inverts_and_refuses_a_constant_series()
    {
        var z = Standardizer.Fit([1.0, 2, 3, 4]);
        Assert.Equal(2.5, z.Mean);
        Assert.Equal(Math.Sqrt(1.25), z.Std, 12);
        Assert.Equal(7.0, z.Inverse(z.Transform(7.0)), 12);
        Assert.Throws<RnnLabException>(() => Standardizer.Fit([5.0, 5, 5]));
    }

    [Fact]
    public void Windows_that_do_not_fit_are_reported()
    {
        TimeSeries air = TimeSeriesDatasets.AirPassengers(fetcher: TestData.Fetcher());
        ForecastData d = Forecasting.Prepare(air, 12, 1);
        Assert.Equal(101 - 12, d.Train.Count);
        Assert.Equal(22, d.Validation.Count);
        var ex = Assert.Throws<RnnLabException>(() => Forecasting.Prepare(air, 12, 30));
        Assert.Contains("too short", ex.Message);
        WindowSet all = Forecasting.SlidingWindows([1.0, 2, 3, 4, 5], 2, 2);
        Assert.Equal([2, 3], all.TargetStart);
        Assert.Equal([1.0, 2, 2, 3], all.Inputs);
        Assert.Equal([3.0, 4, 4, 5], all.Targets);
    }
}
