using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace RnnLab.Data;

/// <summary>
/// Finds a dataset's files, in this order:
/// <list type="number">
/// <item>an explicit path (the file itself, the folder holding it, or for an archived dataset its zip);</item>
/// <item>the folder named by <c>RNNLAB_DATA_DIR</c>;</item>
/// <item>the cache (<c>datasets/</c> in the repo when run from it, else a per-user folder);</item>
/// <item>a download into the cache over HTTPS, with progress, SHA-256 verification and an atomic write.</item>
/// </list>
/// Every copy is checked against the registry's SHA-256: a mismatch is refused with both hashes.
/// Nothing half-written is ever left in the cache (temp file + rename; the temp file is deleted on failure).
/// </summary>
public sealed partial class DatasetFetcher
{
    private static readonly Lazy<HttpClient> SharedClient = new(() =>
    {
        var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("RnnLab", "1.0"));
        return client;
    });

    public DatasetFetcherOptions Options { get; }

    public DatasetFetcher(DatasetFetcherOptions? options = null) => Options = options ?? new DatasetFetcherOptions();

    /// <summary>Fetches every registered dataset; what a <c>rnnlab data fetch --all</c> command calls.</summary>
    public IReadOnlyList<LocatedDataset> FetchAll(CancellationToken cancellationToken = default) =>
        Datasets.All.Select(d => Fetch(d.Name, null, cancellationToken)).ToList();

    /// <summary>Finds or downloads the named dataset; see the class summary for the order of places tried.</summary>
    public LocatedDataset Fetch(string name, string? path = null, CancellationToken cancellationToken = default)
    {
        DatasetInfo info = Datasets.Get(name);
        var lookedIn = new List<string>();

        if (path is not null)
            return FindIn(info, path, DatasetSource.ExplicitPath, lookedIn)
                ?? throw new RnnLabException(
                    $"Dataset '{info.Name}': the path you gave, {Path.GetFullPath(path)}, does not hold {Expected(info)}. " +
                    $"Pass the file (or its folder), or leave the path out to use {Datasets.DataDirVariable}, the cache or a download.");

        if (Options.DataDir is not null)
        {
            if (FindIn(info, Options.DataDir, DatasetSource.DataDir, lookedIn) is { } found) return found;
        }
        else lookedIn.Add($"{Datasets.DataDirVariable}: not set");

        if (FindIn(info, Options.CacheDir, DatasetSource.Cache, lookedIn) is { } cached) return cached;

        string url = UrlOf(info);
        if (!Options.AllowDownload)
            throw NotFound(info, lookedIn, url, "downloads are switched off (AllowDownload = false)");
        try
        {
            return Download(info, url, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or InvalidDataException
                                   || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw NotFound(info, lookedIn, url, Reason(e).TrimEnd('.'), e);
        }
    }

    /// <summary>The URL a download of <paramref name="info"/> uses (the canonical one unless <see cref="DatasetFetcherOptions.BaseUrl"/> is set).</summary>
    public string UrlOf(DatasetInfo info)
    {
        if (Options.BaseUrl is null) return info.Url;
        string last = info.Url[(info.Url.LastIndexOf('/') + 1)..];
        string baseUrl = Options.BaseUrl.ToString();
        return baseUrl.EndsWith('/') ? baseUrl + last : baseUrl + "/" + last;
    }

    // ---- looking in a file or folder ---------------------------------------------------------

    private LocatedDataset? FindIn(DatasetInfo info, string location, DatasetSource source, List<string> lookedIn)
    {
        string full = Path.GetFullPath(location);
        string label = source switch
        {
            DatasetSource.ExplicitPath => "the path you gave",
            DatasetSource.DataDir => Datasets.DataDirVariable,
            _ => "the cache",
        };

        if (File.Exists(full))
        {
            lookedIn.Add($"{label}: {full}");
            if (info.ArchiveName is not null && full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                return FromArchive(info, full, source);
            if (info.Files.Count == 1)
            {
                Verify(info, info.Files[0], full);
                return new LocatedDataset(info, new Dictionary<string, string> { [info.Files[0].RelativePath] = full }, source, full);
            }
            return null;
        }

        // The files at their relative paths (folder/name), or, for the path you gave, directly inside it.
        var files = new Dictionary<string, string>();
        foreach (DatasetFile f in info.Files)
        {
            string nested = Path.Combine(full, f.RelativePath), flat = Path.Combine(full, f.FileName);
            if (File.Exists(nested)) files[f.RelativePath] = nested;
            else if (source == DatasetSource.ExplicitPath && File.Exists(flat)) files[f.RelativePath] = flat;
        }
        lookedIn.Add($"{label}: {string.Join(", ", info.Files.Select(f => Path.Combine(full, f.RelativePath)))}");
        if (files.Count == info.Files.Count)
        {
            foreach (DatasetFile f in info.Files) Verify(info, f, files[f.RelativePath]);
            return new LocatedDataset(info, files, source, full);
        }

        if (info.ArchiveName is not null)
        {
            string zip = Path.Combine(full, info.ArchiveName);
            lookedIn.Add($"{label}: {zip}");
            if (File.Exists(zip)) return FromArchive(info, zip, source);
        }
        return null;
    }

    /// <summary>Extracts an archived dataset's files from a local zip into the cache.</summary>
    private LocatedDataset FromArchive(DatasetInfo info, string zipPath, DatasetSource source)
    {
        try
        {
            using var stream = File.OpenRead(zipPath);
            return new LocatedDataset(info, ExtractToCache(info, stream, zipPath), source, zipPath);
        }
        catch (InvalidDataException e)
        {
            throw new RnnLabException($"Dataset '{info.Name}': {zipPath} is not a readable zip archive ({e.Message}); replace it with a fresh copy from {info.Url}", e);
        }
    }

    // ---- hashes and messages -----------------------------------------------------------------

    private static void Verify(DatasetInfo info, DatasetFile file, string path)
    {
        using var stream = File.OpenRead(path);
        CheckHash(info, file, Convert.ToHexStringLower(SHA256.HashData(stream)), path);
    }

    private static void CheckHash(DatasetInfo info, DatasetFile file, string actual, string what)
    {
        if (actual == file.Sha256) return;
        throw new RnnLabException(
            $"Dataset '{info.Name}': refused {what}: its SHA-256 does not match {file.FileName}.\n" +
            $"  expected {file.Sha256}\n  actual   {actual}\n" +
            $"The copy is corrupted, truncated or a different version. Delete it (nothing was written to the cache) " +
            $"and get a fresh copy from {info.Url}");
    }

    private static string Expected(DatasetInfo info) =>
        string.Join(", ", info.Files.Select(f => f.FileName)) + (info.ArchiveName is null ? "" : $" (or the archive '{info.ArchiveName}')");

    private RnnLabException NotFound(DatasetInfo info, List<string> lookedIn, string url, string reason, Exception? inner = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Dataset '{info.Name}' ({Expected(info)}) is not on this machine, and downloading it failed: {reason}.");
        sb.AppendLine("Looked in:");
        foreach (string place in lookedIn) sb.AppendLine($"  - {place}");
        sb.AppendLine($"  - download: {url}");
        sb.AppendLine("To fix it, either:");
        sb.AppendLine($"  - connect to the internet and run again (or `rnnlab data fetch {info.Name}`), which saves it in {Path.GetFullPath(Options.CacheDir)};");
        sb.Append($"  - or download {info.Url} yourself into a folder and set the environment variable {Datasets.DataDirVariable} to that folder.");
        return inner is null ? new RnnLabException(sb.ToString()) : new RnnLabException(sb.ToString(), inner);
    }

    private static string Reason(Exception e) => e switch
    {
        HttpIOException h => $"the transfer was interrupted ({h.Message.TrimEnd('.')})",
        HttpRequestException { InnerException: { } inner } h => $"{h.Message} ({inner.Message})",
        TaskCanceledException => "the request timed out",
        _ => e.Message,
    };
}
