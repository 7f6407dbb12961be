using RnnLab.Data;

namespace RnnLab.Tests.Data;

/// <summary>Finds the reference datasets for tests (never the network) and makes scratch folders.</summary>
internal static class TestData
{
    /// <summary>
    /// <c>RNNLAB_DATA_DIR</c> when set (CI sets it), else <c>../shared/datasets</c> beside the checkout
    /// that holds this test assembly.
    /// </summary>
    public static string Dir { get; } = Locate();

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Datasets.DataDirVariable) is { Length: > 0 } env) return env;
        string repo = DataPaths.FindRepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"{Datasets.DataDirVariable} is not set and the tests do not run inside an RnnLab checkout");
        return Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets"));
    }

    /// <summary>A fetcher that reads the reference copies and never downloads; its cache is a scratch folder.</summary>
    public static DatasetFetcher Fetcher(string? cacheDir = null) => new(new DatasetFetcherOptions
    {
        DataDir = Dir,
        CacheDir = cacheDir ?? Path.Combine(Path.GetTempPath(), "rnnlab-tests-unused-cache"),
        AllowDownload = false,
    });

    public static string PathOf(string relative) => Path.Combine(Dir, relative);
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rnnlab-test-").FullName;

    public string File(string name, string text)
    {
        string p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, text);
        return p;
    }

    public string File(string name, byte[] bytes)
    {
        string p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllBytes(p, bytes);
        return p;
    }

    /// <summary>Every file under the folder, relative, sorted.</summary>
    public string[] Files(string? sub = null)
    {
        string root = sub is null ? Path : System.IO.Path.Combine(Path, sub);
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(root, f)).Order().ToArray()
            : [];
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
