namespace RnnLab.Data;

/// <summary>One file of a dataset: its path inside the data folder and its SHA-256 (lowercase hex).</summary>
public sealed record DatasetFile(string RelativePath, string Sha256, long SizeBytes)
{
    /// <summary>The file's name without its folder, e.g. <c>imdb_labelled.txt</c>.</summary>
    public string FileName => Path.GetFileName(RelativePath);
}

/// <summary>
/// A named public dataset: where it comes from, how to check it, and how to credit it.
/// <paramref name="Url"/> serves either the single file in <paramref name="Files"/>, or a zip
/// archive (<paramref name="ArchiveName"/> not null) that holds every file of <paramref name="Files"/>.
/// </summary>
public sealed record DatasetInfo(
    string Name,
    string Description,
    string Url,
    string Licence,
    string Citation,
    IReadOnlyList<DatasetFile> Files,
    string? ArchiveName = null)
{
    /// <summary>Total size of the dataset's files, in bytes.</summary>
    public long SizeBytes => Files.Sum(f => f.SizeBytes);

    /// <summary>The file with the given name (with or without its folder).</summary>
    public DatasetFile File(string name) =>
        Files.FirstOrDefault(f => f.RelativePath == name || f.FileName == name)
        ?? throw new RnnLabException($"Dataset '{Name}' has no file '{name}'; its files are {string.Join(", ", Files.Select(f => f.RelativePath))}");
}
