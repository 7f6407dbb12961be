namespace RnnLab.Data;

/// <summary>Where a dataset's files were found.</summary>
public enum DatasetSource
{
    /// <summary>The path the caller passed.</summary>
    ExplicitPath,
    /// <summary>The folder named by the <c>RNNLAB_DATA_DIR</c> environment variable.</summary>
    DataDir,
    /// <summary>The download cache (<c>datasets/</c> in the repo, or the per-user cache).</summary>
    Cache,
    /// <summary>Downloaded just now into the cache.</summary>
    Download,
}

/// <summary>A dataset whose files exist on disk and match their SHA-256.</summary>
/// <param name="Files">Absolute path of each file, keyed by <see cref="DatasetFile.RelativePath"/>.</param>
/// <param name="Location">The file or folder it was found in (or the URL it came from).</param>
public sealed record LocatedDataset(DatasetInfo Info, IReadOnlyDictionary<string, string> Files, DatasetSource Source, string Location)
{
    /// <summary>The path of a single-file dataset.</summary>
    public string Path => Info.Files.Count == 1 ? Files[Info.Files[0].RelativePath]
        : throw new RnnLabException($"Dataset '{Info.Name}' has {Info.Files.Count} files; use PathOf(name) with one of {string.Join(", ", Info.Files.Select(f => f.FileName))}");

    /// <summary>The path of the named file (with or without its folder).</summary>
    public string PathOf(string fileName) => Files[Info.File(fileName).RelativePath];
}

/// <summary>Download progress: bytes received so far and the total when the server announced it.</summary>
public sealed record DownloadProgress(string Dataset, string Url, long BytesReceived, long? TotalBytes)
{
    /// <summary>Fraction done in [0, 1], or null when the total size is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? (double)BytesReceived / TotalBytes.Value : null;
}
