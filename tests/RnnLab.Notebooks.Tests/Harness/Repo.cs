namespace RnnLab.Notebooks.Tests.Harness;

/// <summary>Paths inside the repository, found by walking up from the test binaries to RnnLab.sln.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string NotebooksDir => Path.Combine(Root, "notebooks");

    /// <summary>The setup cell every notebook starts with (single source of truth).</summary>
    public static string SetupCellPath => Path.Combine(NotebooksDir, "_setup.csx");

    /// <summary>Every lesson, e.g. "00-start-here.ipynb" (file names only, sorted).</summary>
    public static IEnumerable<string> NotebookNames() =>
        Directory.GetFiles(NotebooksDir, "*.ipynb").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal);

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string name in NotebookNames()) data.Add(name);
        return data;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RnnLab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"RnnLab.sln not found above {AppContext.BaseDirectory}");
    }
}
