using System.Diagnostics;
using System.Text;

namespace RnnLab.Notebooks.Tests.Harness;

/// <summary>The executed notebook (with outputs), how dotnet-repl exited, and how long it took.</summary>
public sealed record NotebookRun(string Name, NotebookDoc Executed, int ExitCode, TimeSpan Elapsed, string Log);

/// <summary>
/// Runs a notebook top to bottom through the real kernel path: dotnet-repl (pinned in .config/dotnet-tools.json)
/// hosts the .NET Interactive C# kernel, restores the <c>#r "nuget:"</c> packages and loads their kernel
/// extensions, exactly as VS Code's Polyglot Notebooks does. The working directory is notebooks/, so the
/// setup cell's relative <c>#r "../src/..."</c> resolves as it does for a learner.
/// dotnet-repl keeps going after a failing cell and exits with 2; each cell's outputs are in the written notebook.
/// </summary>
public static class NotebookRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<bool> ToolsRestored = new(RestoreTools);

    public static NotebookRun Run(NotebookDoc notebook, string name)
    {
        _ = ToolsRestored.Value;
        string dir = Directory.CreateTempSubdirectory("rnnlab-notebook-").FullName;
        try
        {
            string input = Path.Combine(dir, name), output = Path.Combine(dir, Path.ChangeExtension(name, ".out.ipynb"));
            notebook.Save(input);
            var sw = Stopwatch.StartNew();
            var (exit, log) = Exec(Repo.NotebooksDir, "tool", "run", "dotnet-repl", "--run", input, "--exit-after-run", "--output-path", output);
            sw.Stop();
            if (!File.Exists(output))
                throw new Xunit.Sdk.XunitException($"{name}: dotnet-repl exited with {exit} and wrote no output notebook.\n{Tail(log)}");
            var executed = NotebookDoc.Load(output);
            CarryOverRnnLabMetadata(notebook, executed, name);
            return new NotebookRun(name, executed, exit, sw.Elapsed, log);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // dotnet-repl writes its own cell metadata and drops ours; copy metadata.rnnlab back, cell by cell.
    private static void CarryOverRnnLabMetadata(NotebookDoc input, NotebookDoc executed, string name)
    {
        if (executed.Cells.Count != input.Cells.Count)
            throw new Xunit.Sdk.XunitException($"{name}: the executed notebook has {executed.Cells.Count} cells, the input {input.Cells.Count}");
        for (int i = 0; i < input.Cells.Count; i++)
        {
            if (input.Cells[i].Source.TrimEnd() != executed.Cells[i].Source.TrimEnd())
                throw new Xunit.Sdk.XunitException($"{name}: executed cell {i} does not match the input:\n{executed.Cells[i].Source}");
            if (input.Cells[i].RnnLab is { } meta)
            {
                var cellMeta = executed.Cells[i].Metadata ?? new System.Text.Json.Nodes.JsonObject();
                cellMeta["rnnlab"] = meta.DeepClone();
                executed.Cells[i].Json["metadata"] = cellMeta;
            }
        }
    }

    private static bool RestoreTools()
    {
        var (exit, log) = Exec(Repo.Root, "tool", "restore");
        if (exit != 0) throw new Xunit.Sdk.XunitException($"dotnet tool restore failed ({exit}):\n{Tail(log)}");
        return true;
    }

    private static (int Exit, string Log) Exec(string workingDir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["NO_COLOR"] = "1";
        var log = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new Xunit.Sdk.XunitException($"dotnet {string.Join(' ', args)} did not finish within {Timeout.TotalMinutes} minutes.\n{Tail(log.ToString())}");
        }
        p.WaitForExit();   // drains the output readers
        lock (log) return (p.ExitCode, log.ToString());
    }

    public static string Tail(string log, int chars = 3000) => log.Length <= chars ? log : "…" + log[^chars..];
}
