using RnnLab.Data;

namespace RnnLab.Cli.Tests;

/// <summary>Runs the <c>rnnlab</c> command in-process and captures what it printed.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error);

    static CliRun()
    {
        // The tests read the reference datasets (never the network): RNNLAB_DATA_DIR, else ../shared/datasets beside the checkout.
        if (Environment.GetEnvironmentVariable(Datasets.DataDirVariable) is not { Length: > 0 })
        {
            string repo = DataPaths.FindRepoRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException($"{Datasets.DataDirVariable} is not set and the tests do not run inside an RnnLab checkout");
            Environment.SetEnvironmentVariable(Datasets.DataDirVariable, Path.GetFullPath(Path.Combine(repo, "..", "shared", "datasets")));
        }
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Cli.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static string TempDir() => Directory.CreateTempSubdirectory("rnnlab-cli-test-").FullName;
}
