using System.Collections.Concurrent;
using System.Diagnostics;

namespace RnnLab.Data;

/// <summary>
/// Atomic writes: data goes to <c>name.PID.RANDOM.part</c> beside the final file and is renamed
/// over it only when complete and verified, so a reader never sees a half-written file.
/// A temp file is deleted on every failure (finally; the fetcher turns Ctrl+C and SIGTERM into a cancellation
/// so that the finally runs), on a normal process exit, and, should the process have been killed outright,
/// by <see cref="SweepStale"/> on the next download.
/// </summary>
internal static class TempFiles
{
    private const string Suffix = ".part";
    private static readonly ConcurrentDictionary<string, byte> Active = new();

    static TempFiles() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (string path in Active.Keys) TryDelete(path);
    };

    /// <summary>A fresh temp path beside <paramref name="finalPath"/>; its folder is created.</summary>
    public static string Create(string finalPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(finalPath))!);
        string temp = $"{finalPath}.{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}";
        Active[temp] = 0;
        return temp;
    }

    /// <summary>Moves the finished temp file over the final path (an atomic rename on one volume).</summary>
    public static void Commit(string temp, string finalPath)
    {
        File.Move(temp, finalPath, overwrite: true);
        Active.TryRemove(temp, out _);
    }

    /// <summary>Deletes the temp file if it still exists.</summary>
    public static void Discard(string temp)
    {
        TryDelete(temp);
        Active.TryRemove(temp, out _);
    }

    /// <summary>Deletes temp files under <paramref name="folder"/> left by processes that no longer run.</summary>
    public static void SweepStale(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (string path in Directory.EnumerateFiles(folder, "*" + Suffix, SearchOption.AllDirectories))
        {
            // name.PID.GUID.part -> PID
            string[] parts = Path.GetFileName(path).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[^3], out int pid) && !IsRunning(pid)) TryDelete(path);
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
