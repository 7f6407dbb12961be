namespace RnnLab.Data;

/// <summary>
/// The registry of every dataset RnnLab knows (the same table as <c>datasets/README.md</c>),
/// and the shortest way to get one: <c>Datasets.Fetch("tinyshakespeare").Path</c>.
/// </summary>
public static class Datasets
{
    /// <summary>The environment variable naming a folder that holds local copies of the dataset files.</summary>
    public const string DataDirVariable = "RNNLAB_DATA_DIR";

    private const string Selva86 = "https://raw.githubusercontent.com/selva86/datasets/master/";

    public static readonly DatasetInfo TinyShakespeare = new(
        "tinyshakespeare",
        "1,115,394 characters of Shakespeare's plays (char-rnn's corpus)",
        "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
        "public-domain text",
        "as packaged by karpathy/char-rnn (Karpathy 2015, The Unreasonable Effectiveness of Recurrent Neural Networks)",
        [new("tinyshakespeare.txt", "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394)]);

    public static readonly DatasetInfo DailyMinTemperatures = new(
        "daily-min-temperatures",
        "daily minimum temperature in Melbourne, 1981-1990 (3650 rows, Date,Temp)",
        Selva86 + "daily-min-temperatures.csv",
        "Australian Bureau of Meteorology data",
        "Australian Bureau of Meteorology, as packaged by selva86/datasets",
        [new("daily-min-temperatures.csv", "a29a71f38cf548a0b12bee44ceb510919a8cef450e19019261d534208c884fa2", 56_968)]);

    public static readonly DatasetInfo AirPassengers = new(
        "airpassengers",
        "monthly international airline passengers, 1949-1960 (144 rows, date,value)",
        Selva86 + "AirPassengers.csv",
        "classic textbook series",
        "Box, Jenkins & Reinsel (1976), Time Series Analysis: Forecasting and Control, as packaged by selva86/datasets",
        [new("AirPassengers.csv", "f2c862a9f593454ffc2e561294af64ee76fa2b91fca806d9925327b57fc2a40b", 2_320)]);

    public static readonly DatasetInfo StockPrice = new(
        "stock-price",
        "daily closing price of one stock, Aug 2018 - Aug 2019 (252 rows, Date,Price, dd-mm-yyyy dates)",
        Selva86 + "stock_price.csv",
        "as published in selva86/datasets",
        "as packaged by selva86/datasets",
        [new("stock_price.csv", "f6c0083e2a036e22d6974c04c1381c485f04c55c02100736422abfa02b1db7b7", 4_968)]);

    public static readonly DatasetInfo SentimentSentences = new(
        "sentiment-labelled-sentences",
        "3 x 1000 review sentences from Amazon, IMDb and Yelp, labelled 0 (negative) or 1 (positive)",
        "https://archive.ics.uci.edu/ml/machine-learning-databases/00331/sentiment%20labelled%20sentences.zip",
        "UCI Machine Learning Repository; cite the paper",
        "Kotzias, Denil, de Freitas & Smyth (2015), From Group to Individual Labels using Deep Features, KDD",
        [
            new("sentiment-labelled-sentences/amazon_cells_labelled.txt", "47003fc0a0d4840b00e96e715b6189bad09e7443a3da41c4cbe12ffc79f86ae3", 58_226),
            new("sentiment-labelled-sentences/imdb_labelled.txt", "c662b9360c1652babb990d164835af12aa105db7991f1fdb19038115f0e93de8", 85_187),
            new("sentiment-labelled-sentences/yelp_labelled.txt", "b565b1eeb864d76842588c3a256731b08bcdd9faf6de507bfe211a96f8b81912", 61_293),
        ],
        ArchiveName: "sentiment labelled sentences.zip");

    /// <summary>Every registered dataset, in the order of the manifest.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } =
        [TinyShakespeare, DailyMinTemperatures, AirPassengers, StockPrice, SentimentSentences];

    /// <summary>The dataset with this name (case-insensitive).</summary>
    public static DatasetInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new RnnLabException($"Datasets: no dataset is named '{name}'; known datasets: {string.Join(", ", All.Select(d => d.Name))}");
    }

    /// <summary>
    /// Finds the dataset (explicit path, then <c>RNNLAB_DATA_DIR</c>, then the cache) or downloads it
    /// into the cache, verifying its SHA-256. See <see cref="DatasetFetcher"/> for the details.
    /// </summary>
    public static LocatedDataset Fetch(string name, string? path = null, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        new DatasetFetcher(new DatasetFetcherOptions { Progress = progress }).Fetch(name, path, cancellationToken);

    /// <summary>Fetches every registered dataset (for an offline classroom: run once while online).</summary>
    public static IReadOnlyList<LocatedDataset> FetchAll(IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var fetcher = new DatasetFetcher(new DatasetFetcherOptions { Progress = progress });
        return All.Select(d => fetcher.Fetch(d.Name, null, cancellationToken)).ToList();
    }
}
