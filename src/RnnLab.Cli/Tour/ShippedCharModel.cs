using RnnLab.Data;

namespace RnnLab.Cli.Tour;

/// <summary>
/// The character LSTM trained ahead of time that ships with RnnLab (<c>notebooks/checkpoints/char-lstm-128.safetensors</c>,
/// made by the <c>rnnlab train</c> command in <c>notebooks/checkpoints/README.md</c>), and where to find it: beside the
/// program (the build copies it into <c>checkpoints/</c> of the output folder, so an installed tool has it too), else in
/// the RnnLab checkout around the current folder or the program.
/// </summary>
public static class ShippedCharModel
{
    public const string FileName = "char-lstm-128.safetensors";

    /// <summary>The places looked at, in order.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var paths = new List<string> { Path.Combine(AppContext.BaseDirectory, "checkpoints", FileName) };
        foreach (string? repo in new[] { DataPaths.FindRepoRoot(Directory.GetCurrentDirectory()), DataPaths.FindRepoRoot(AppContext.BaseDirectory) })
            if (repo is not null) paths.Add(Path.Combine(repo, "notebooks", "checkpoints", FileName));
        return paths.Distinct().ToList();
    }

    /// <summary>The first candidate that exists, or null.</summary>
    public static string? Find(IEnumerable<string> candidates) => candidates.FirstOrDefault(File.Exists);
}
