using System.IO.Compression;
using System.Security.Cryptography;
using RnnLab.Data;

namespace RnnLab.Tests.Data;

public sealed class DatasetFetcherTests
{
    private static DatasetFetcher Fetcher(string cache, Uri? baseUrl = null, string? dataDir = null, IProgress<DownloadProgress>? progress = null) =>
        new(new DatasetFetcherOptions { DataDir = dataDir, CacheDir = cache, BaseUrl = baseUrl, Progress = progress });

    private static byte[] Reference(string relative) => File.ReadAllBytes(TestData.PathOf(relative));

    [Fact]
    public void Registry_hashes_and_sizes_match_the_reference_copies()
    {
        foreach (DatasetInfo info in Datasets.All)
        {
            LocatedDataset found = TestData.Fetcher().Fetch(info.Name);
            Assert.Equal(DatasetSource.DataDir, found.Source);
            foreach (DatasetFile f in info.Files)
            {
                byte[] bytes = File.ReadAllBytes(found.Files[f.RelativePath]);
                Assert.Equal(f.SizeBytes, bytes.Length);
                Assert.Equal(f.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }
    }

    [Fact]
    public void Unknown_name_lists_the_known_datasets()
    {
        var ex = Assert.Throws<RnnLabException>(() => Datasets.Get("shakespear"));
        Assert.Contains("tinyshakespeare", ex.Message);
    }

    [Fact]
    public void Downloads_into_the_cache_with_progress_then_finds_it_there()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        byte[] body = Reference("AirPassengers.csv");
        server.Serve("AirPassengers.csv", body);
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress<DownloadProgress>(reports.Add);

        LocatedDataset got = Fetcher(cache.Path, server.BaseUrl, progress: progress).Fetch("airpassengers");

        Assert.Equal(DatasetSource.Download, got.Source);
        Assert.Equal(Path.Combine(cache.Path, "AirPassengers.csv"), got.Path);
        Assert.Equal(body, File.ReadAllBytes(got.Path));
        Assert.Equal(["AirPassengers.csv"], cache.Files());
        Assert.NotEmpty(reports);
        Assert.Equal(body.Length, reports[^1].BytesReceived);
        Assert.Equal(body.Length, reports[^1].TotalBytes);
        Assert.Equal(1.0, reports[^1].Fraction);

        // Second time: from the cache, no request.
        int requests = server.Requests.Count;
        LocatedDataset again = Fetcher(cache.Path, server.BaseUrl).Fetch("airpassengers");
        Assert.Equal(DatasetSource.Cache, again.Source);
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public void A_download_with_the_wrong_hash_is_refused_and_nothing_is_left()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        byte[] body = Reference("AirPassengers.csv");
        body[100] ^= 1;
        server.Serve("AirPassengers.csv", body);

        var ex = Assert.Throws<RnnLabException>(() => Fetcher(cache.Path, server.BaseUrl).Fetch("airpassengers"));

        Assert.Contains("refused", ex.Message);
        Assert.Contains("expected " + Datasets.AirPassengers.Files[0].Sha256, ex.Message);
        Assert.Contains("actual   " + Convert.ToHexStringLower(SHA256.HashData(body)), ex.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void An_interrupted_transfer_leaves_nothing_in_the_cache()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        byte[] body = Reference("stock_price.csv");
        server.Serve("stock_price.csv", body, cutAfter: body.Length / 2);

        var ex = Assert.Throws<RnnLabException>(() => Fetcher(cache.Path, server.BaseUrl).Fetch("stock-price"));

        Assert.Contains("stock-price", ex.Message);
        Assert.Contains("interrupted", ex.Message);
        Assert.Contains(server.BaseUrl + "stock_price.csv", ex.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void A_cancelled_download_leaves_nothing_in_the_cache()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        server.Serve("input.txt", Reference("tinyshakespeare.txt"));
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<DownloadProgress>(p => { if (p.BytesReceived > 0) cts.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() => Fetcher(cache.Path, server.BaseUrl, progress: progress).Fetch("tinyshakespeare", null, cts.Token));

        Assert.Empty(cache.Files());
    }

    [Fact]
    public void The_sentiment_zip_is_downloaded_verified_and_extracted()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        server.Serve(Datasets.SentimentSentences.ArchiveName!, SentimentZip());

        LocatedDataset got = Fetcher(cache.Path, server.BaseUrl).Fetch("sentiment-labelled-sentences");

        Assert.Equal(DatasetSource.Download, got.Source);
        Assert.Equal(
            ["amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"],
            cache.Files("sentiment-labelled-sentences"));
        Assert.Equal(3, cache.Files().Length);   // the zip itself was a temp file
        Assert.Equal(Reference("sentiment-labelled-sentences/imdb_labelled.txt"), File.ReadAllBytes(got.PathOf("imdb_labelled.txt")));
    }

    [Fact]
    public void A_zip_in_the_data_dir_is_extracted_into_the_cache()
    {
        using var data = new TempDir();
        using var cache = new TempDir();
        data.File(Datasets.SentimentSentences.ArchiveName!, SentimentZip());

        LocatedDataset got = Fetcher(cache.Path, dataDir: data.Path).Fetch("sentiment-labelled-sentences");

        Assert.Equal(DatasetSource.DataDir, got.Source);
        Assert.StartsWith(cache.Path, got.PathOf("yelp_labelled.txt"));
        Assert.Equal(3, cache.Files().Length);
    }

    [Fact]
    public void A_zip_holding_a_corrupted_file_writes_nothing()
    {
        using var data = new TempDir();
        using var cache = new TempDir();
        data.File(Datasets.SentimentSentences.ArchiveName!, SentimentZip(corruptYelp: true));

        var ex = Assert.Throws<RnnLabException>(() => Fetcher(cache.Path, dataDir: data.Path).Fetch("sentiment-labelled-sentences"));

        Assert.Contains("yelp_labelled.txt", ex.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void A_corrupted_local_copy_is_refused_with_both_hashes()
    {
        using var data = new TempDir();
        byte[] body = Reference("tinyshakespeare.txt");
        body[^2] = (byte)'#';
        string path = data.File("tinyshakespeare.txt", body);

        var ex = Assert.Throws<RnnLabException>(() => Fetcher(Path.Combine(data.Path, "cache"), dataDir: data.Path).Fetch("tinyshakespeare"));

        Assert.Contains(path, ex.Message);
        Assert.Contains(Datasets.TinyShakespeare.Files[0].Sha256, ex.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(body)), ex.Message);
    }

    [Fact]
    public void An_explicit_path_wins_and_may_be_the_file_or_its_folder()
    {
        var fetcher = Fetcher(Path.Combine(Path.GetTempPath(), "rnnlab-unused"), dataDir: "/nonexistent");
        Assert.Equal(DatasetSource.ExplicitPath, fetcher.Fetch("stock-price", TestData.PathOf("stock_price.csv")).Source);
        Assert.Equal(DatasetSource.ExplicitPath, fetcher.Fetch("stock-price", TestData.Dir).Source);
        LocatedDataset sentiment = fetcher.Fetch("sentiment-labelled-sentences", TestData.PathOf("sentiment-labelled-sentences"));
        Assert.Equal(TestData.PathOf("sentiment-labelled-sentences/amazon_cells_labelled.txt"), sentiment.PathOf("amazon_cells_labelled.txt"));

        using var empty = new TempDir();
        var ex = Assert.Throws<RnnLabException>(() => fetcher.Fetch("stock-price", empty.Path));
        Assert.Contains("the path you gave", ex.Message);
        Assert.Contains("stock_price.csv", ex.Message);
    }

    [Fact]
    public void No_copy_and_no_network_names_the_dataset_every_place_the_url_and_the_variable()
    {
        using var cache = new TempDir();
        using var data = new TempDir();
        // A loopback port with nothing listening: the connection is refused, as with no network.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var fetcher = Fetcher(cache.Path, new Uri($"http://127.0.0.1:{port}/"), dataDir: data.Path);

        var ex = Assert.Throws<RnnLabException>(() => fetcher.Fetch("daily-min-temperatures"));

        Assert.Contains("Dataset 'daily-min-temperatures'", ex.Message);
        Assert.Contains(Path.Combine(data.Path, "daily-min-temperatures.csv"), ex.Message);
        Assert.Contains(Path.Combine(cache.Path, "daily-min-temperatures.csv"), ex.Message);
        Assert.Contains($"http://127.0.0.1:{port}/daily-min-temperatures.csv", ex.Message);
        Assert.Contains(Datasets.DailyMinTemperatures.Url, ex.Message);
        Assert.Contains("RNNLAB_DATA_DIR", ex.Message);
        Assert.Empty(cache.Files());

        var offline = new DatasetFetcher(new DatasetFetcherOptions { DataDir = null, CacheDir = cache.Path, AllowDownload = false });   // not RNNLAB_DATA_DIR: CI sets it
        var ex2 = Assert.Throws<RnnLabException>(() => offline.Fetch("airpassengers"));
        Assert.Contains("switched off", ex2.Message);
        Assert.Contains(Datasets.AirPassengers.Url, ex2.Message);
    }

    [Fact]
    public void A_404_is_reported_with_the_status()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        var ex = Assert.Throws<RnnLabException>(() => Fetcher(cache.Path, server.BaseUrl).Fetch("airpassengers"));
        Assert.Contains("404", ex.Message);
        Assert.Empty(cache.Files());
    }

    [Fact]
    public void Temp_files_of_dead_processes_are_swept_before_a_download()
    {
        using var cache = new TempDir();
        using var server = new LoopbackHttpServer();
        server.Serve("AirPassengers.csv", Reference("AirPassengers.csv"));
        cache.File($"tinyshakespeare.txt.{int.MaxValue}.0123456789abcdef.part", "half a download");

        Fetcher(cache.Path, server.BaseUrl).Fetch("airpassengers");

        Assert.Equal(["AirPassengers.csv"], cache.Files());
    }

    [Fact]
    public void The_default_cache_is_datasets_in_the_repo()
    {
        string repo = DataPaths.FindRepoRoot(AppContext.BaseDirectory)!;
        Assert.True(File.Exists(Path.Combine(repo, "RnnLab.sln")));
        Assert.Equal(Path.Combine(repo, "datasets"), DataPaths.DefaultCacheDir());
        Assert.Null(DataPaths.FindRepoRoot(Path.GetTempPath()));
    }

    private static byte[] SentimentZip(bool corruptYelp = false)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("sentiment labelled sentences/");
            foreach (DatasetFile f in Datasets.SentimentSentences.Files)
            {
                byte[] bytes = Reference(f.RelativePath);
                if (corruptYelp && f.FileName.StartsWith("yelp", StringComparison.Ordinal)) bytes[10] ^= 1;
                using (var s = zip.CreateEntry("__MACOSX/sentiment labelled sentences/._" + f.FileName).Open()) s.Write([0, 5, 22, 7]);
                using (var s = zip.CreateEntry("sentiment labelled sentences/" + f.FileName).Open()) s.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

public sealed class DatasetManifestTests
{
    [Fact]
    public void The_manifest_in_datasets_README_lists_every_registered_file_with_its_hash_and_url()
    {
        string readme = File.ReadAllText(Path.Combine(DataPaths.FindRepoRoot(AppContext.BaseDirectory)!, "datasets", "README.md"));
        foreach (DatasetInfo info in Datasets.All)
        {
            Assert.Contains($"`{info.Name}`", readme);
            Assert.Contains(info.Url, readme);
            foreach (DatasetFile f in info.Files)
            {
                Assert.Contains($"`{f.RelativePath}`", readme);
                Assert.Contains($"`{f.Sha256}`", readme);
                Assert.Contains(f.SizeBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " B", readme);
            }
        }
    }
}
