using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RnnLab.Data;

// The network and archive half of DatasetFetcher: streaming a download into a temp file while hashing it,
// and unpacking a zip only after every file in it has been verified.
public sealed partial class DatasetFetcher
{
    // ---- downloading -------------------------------------------------------------------------

    private LocatedDataset Download(DatasetInfo info, string url, CancellationToken ct)
    {
        string cache = Path.GetFullPath(Options.CacheDir);
        Directory.CreateDirectory(cache);
        TempFiles.SweepStale(cache);

        // Ctrl+C (SIGINT) or SIGTERM during the download cancels it instead of killing the process at once, so the
        // finally below deletes the temp file; the caller then gets an OperationCanceledException.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var signals = new CancelOnSignals(interrupt);

        string target = info.ArchiveName is null ? Path.Combine(cache, info.Files[0].RelativePath) : Path.Combine(cache, info.ArchiveName);
        string temp = TempFiles.Create(target);
        try
        {
            string actual;
            try { actual = DownloadTo(info, url, temp, interrupt.Token); }
            catch (Exception e) when (interrupt.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Dataset '{info.Name}': the download from {url} was cancelled; nothing was saved in the cache", e, interrupt.Token);
            }
            if (info.ArchiveName is null)
            {
                CheckHash(info, info.Files[0], actual, $"the download from {url}");
                TempFiles.Commit(temp, target);
                return new LocatedDataset(info, new Dictionary<string, string> { [info.Files[0].RelativePath] = target }, DatasetSource.Download, url);
            }
            using var stream = File.OpenRead(temp);
            return new LocatedDataset(info, ExtractToCache(info, stream, url), DatasetSource.Download, url);
        }
        finally { TempFiles.Discard(temp); }
    }

    /// <summary>Streams the URL into <paramref name="temp"/>, reporting progress; returns the SHA-256 of what arrived.</summary>
    private string DownloadTo(DatasetInfo info, string url, string temp, CancellationToken ct)
    {
        HttpClient client = Options.HttpClient ?? SharedClient.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpResponseMessage response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        long? total = response.Content.Headers.ContentLength;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using Stream body = response.Content.ReadAsStream(ct);
        using CancellationTokenRegistration abort = ct.Register(response.Dispose);   // unblocks a Read waiting on a stalled server
        long received = 0;
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            var buffer = new byte[81920];
            Options.Progress?.Report(new DownloadProgress(info.Name, url, 0, total));
            int n;
            while ((n = body.Read(buffer)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                file.Write(buffer, 0, n);
                hash.AppendData(buffer, 0, n);
                received += n;
                Options.Progress?.Report(new DownloadProgress(info.Name, url, received, total));
            }
        }
        if (total is long expected && received != expected)
            throw new IOException($"the transfer was interrupted after {received} of {expected} bytes");
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // ---- archives ----------------------------------------------------------------------------

    /// <summary>
    /// Reads every file of <paramref name="info"/> out of a zip (ignoring folders and macOS <c>__MACOSX</c>
    /// entries), verifies them all, and only then writes them atomically into the cache.
    /// </summary>
    private Dictionary<string, string> ExtractToCache(DatasetInfo info, Stream zipStream, string zipName)
    {
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        var contents = new Dictionary<string, byte[]>();
        foreach (DatasetFile f in info.Files)
        {
            ZipArchiveEntry entry = zip.Entries.FirstOrDefault(e => e.Name == f.FileName && !e.FullName.StartsWith("__MACOSX", StringComparison.Ordinal))
                ?? throw new RnnLabException($"Dataset '{info.Name}': the archive {zipName} has no file {f.FileName}; " +
                                             $"it holds {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
            using var entryStream = entry.Open();
            using var buffer = new MemoryStream();
            entryStream.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            CheckHash(info, f, Convert.ToHexStringLower(SHA256.HashData(bytes)), $"{f.FileName} inside {zipName}");
            contents[f.RelativePath] = bytes;
        }

        var paths = new Dictionary<string, string>();
        foreach (DatasetFile f in info.Files)
        {
            string final = Path.Combine(Path.GetFullPath(Options.CacheDir), f.RelativePath);
            string temp = TempFiles.Create(final);
            try
            {
                File.WriteAllBytes(temp, contents[f.RelativePath]);
                TempFiles.Commit(temp, final);
            }
            finally { TempFiles.Discard(temp); }
            paths[f.RelativePath] = final;
        }
        return paths;
    }

    /// <summary>While alive, turns SIGINT (Ctrl+C) and SIGTERM into cancellation of <paramref name="cts"/>.</summary>
    private sealed class CancelOnSignals : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public CancelOnSignals(CancellationTokenSource cts)
        {
            foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            {
                try { _registrations.Add(PosixSignalRegistration.Create(signal, context => { context.Cancel = true; cts.Cancel(); })); }
                catch (PlatformNotSupportedException) { }   // e.g. WebAssembly: no signals to handle
            }
        }

        public void Dispose() => _registrations.ForEach(r => r.Dispose());
    }
}
