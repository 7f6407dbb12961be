using System.Text;

namespace RnnLab.Notebooks.Tests.Harness;

/// <summary>What every run of a lesson must show, whichever code its exercise cells hold.</summary>
public static class RunAssertions
{
    /// <summary>
    /// No cell failed, every cell that declares charts drew them, every chart has a title saying what is
    /// plotted, and every check box outside the exercise check cells (the notebook's own "is everything
    /// wired" checks) is green.
    /// </summary>
    public static void RanCleanly(NotebookRun run)
    {
        var executed = run.Executed.Cells;
        var problems = new StringBuilder();
        foreach (var cell in executed.Where(c => c.IsCode))
        {
            foreach (string error in cell.Errors)
                problems.Append($"--- {cell.Describe()}\n>>> error: {error}\n");
            if (cell.ChartCount < cell.ExpectedCharts)
                problems.Append($"--- {cell.Describe()}\n>>> drew {cell.ChartCount} chart(s), expected {cell.ExpectedCharts}\n");
            foreach (string chart in cell.UntitledCharts)
                problems.Append($"--- {cell.Describe()}\n>>> the {chart} has no title; give it one that says what is plotted\n");
            if (cell.CheckId is null && cell.FailedChecks > 0)
                problems.Append($"--- {cell.Describe()}\n>>> a check that must always pass failed:\n{string.Join("\n", cell.HtmlOutputs)}\n");
        }
        Assert.True(problems.Length == 0, $"{run.Name} (exit code {run.ExitCode}):\n{problems}");
        Assert.True(run.ExitCode == 0, $"{run.Name}: dotnet-repl exited with {run.ExitCode} although no cell reported an error.\n{NotebookRunner.Tail(run.Log)}");
    }
}
