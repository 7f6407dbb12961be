using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace RnnLab.Interactive;

/// <summary>
/// Catches the two mistakes that make a notebook run old code: editing src/ without rebuilding, and
/// rebuilding without restarting the kernel (which keeps the DLLs it loaded first).
/// </summary>
internal static class BuildCheck
{
    public static CheckResult Run()
    {
        var here = typeof(BuildCheck).Assembly;
        if (here.Location.Length == 0) return new CheckResult(true, "RnnLab is loaded (no file location to check)") { PassLabel = "Ready" };
        string binDir = Path.GetDirectoryName(here.Location)!;
        string? srcRoot = FindSrcRoot(binDir);
        var problems = new List<string>();
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .GroupBy(a => a.Location, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        foreach (string dll in Directory.GetFiles(binDir, "RnnLab*.dll").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(dll);
            if (loaded.TryGetValue(dll, out var asm) && DiskModuleVersion(dll) != asm.ManifestModule.ModuleVersionId)
                problems.Add($"{name}.dll was rebuilt after this kernel loaded it: restart the kernel.");
            if (srcRoot is not null && NewestSource(Path.Combine(srcRoot, name)) is { } src && src.Time > File.GetLastWriteTimeUtc(dll))
                problems.Add($"{Path.GetRelativePath(srcRoot, src.Path)} changed after {name}.dll was built: run dotnet build -c Release, then restart the kernel.");
        }
        string built = File.GetLastWriteTimeUtc(here.Location).ToString("yyyy-MM-dd HH:mm");
        var result = problems.Count == 0
            ? new CheckResult(true, $"RnnLab is loaded (build of {built} UTC, up to date with src/)")
            : new CheckResult(false, $"RnnLab is loaded, but this kernel may run old code (build of {built} UTC)", string.Join("\n", problems));
        return result with { PassLabel = "Ready", FailLabel = "Stale build" };
    }

    private static Guid DiskModuleVersion(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.GetGuid(md.GetModuleDefinition().Mvid);
    }

    // The repository's src/ folder when the DLLs sit in src/<Project>/bin/<Config>/<tfm>/ of a checkout.
    private static string? FindSrcRoot(string binDir)
    {
        for (var dir = new DirectoryInfo(binDir); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RnnLab.sln")))
                return Directory.Exists(Path.Combine(dir.FullName, "src")) ? Path.Combine(dir.FullName, "src") : null;
        return null;
    }

    private static (string Path, DateTime Time)? NewestSource(string projectDir)
    {
        if (!Directory.Exists(projectDir)) return null;
        (string, DateTime)? newest = null;
        foreach (string f in Directory.EnumerateFiles(projectDir, "*.cs*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(projectDir, f);
            if (rel.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || rel.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            var t = File.GetLastWriteTimeUtc(f);
            if (newest is null || t > newest.Value.Item2) newest = (f, t);
        }
        return newest;
    }
}
