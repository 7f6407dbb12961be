namespace RnnLab.Data;

/// <summary>Where RnnLab keeps downloaded datasets.</summary>
public static class DataPaths
{
    /// <summary>
    /// The folder holding <c>RnnLab.sln</c>, found by walking up from <paramref name="start"/>;
    /// null when <paramref name="start"/> is not inside an RnnLab checkout.
    /// </summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RnnLab.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// The default download cache: <c>datasets/</c> in the RnnLab checkout when run from inside one
    /// (current directory first, then the program's own folder), else a per-user cache folder:
    /// <c>$XDG_CACHE_HOME/rnnlab</c> or <c>~/.cache/rnnlab</c> (Linux, macOS), <c>%LOCALAPPDATA%\rnnlab</c> (Windows).
    /// </summary>
    public static string DefaultCacheDir()
    {
        string? repo = FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory);
        if (repo is not null) return Path.Combine(repo, "datasets");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "rnnlab");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg, "rnnlab");
    }
}
