using System.Text;

namespace RnnLab.Plots.Html;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never half of it.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new RnnLabException($"Report.Save: folder '{dir}' does not exist; create it first or choose another path.");
        // The temporary file lives in the same folder, so the final rename never crosses file systems.
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, content, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
