namespace RnnLab.Data;

/// <summary>Settings for a <see cref="DatasetFetcher"/>; the defaults are what a learner wants.</summary>
public sealed record DatasetFetcherOptions
{
    /// <summary>A folder of local copies; defaults to the <c>RNNLAB_DATA_DIR</c> environment variable.</summary>
    public string? DataDir { get; init; } = Environment.GetEnvironmentVariable(Datasets.DataDirVariable) is { Length: > 0 } d ? d : null;

    /// <summary>Where downloads are kept; see <see cref="DataPaths.DefaultCacheDir"/>.</summary>
    public string CacheDir { get; init; } = DataPaths.DefaultCacheDir();

    /// <summary>False forbids the network: a dataset not found locally is an error.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>
    /// A mirror to download from instead of the canonical hosts (for tests and offline classroom servers):
    /// the URL becomes this base plus the canonical URL's last segment, e.g. <c>http://127.0.0.1:8080/AirPassengers.csv</c>.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The client used for downloads (null: a shared client with a 10-minute timeout).</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Receives download progress.</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }
}
