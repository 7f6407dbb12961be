using System.Text.Json.Nodes;
using RnnLab.Notebooks.Tests.Harness;

namespace RnnLab.Notebooks.Tests.Notebooks;

/// <summary>What a committed lesson must look like before anyone runs it.</summary>
public sealed class NotebookFormatTests
{
    public static TheoryData<string> Notebooks() => Repo.Notebooks();

    private static NotebookDoc Load(string name) => NotebookDoc.Load(Path.Combine(Repo.NotebooksDir, name));

    [Fact]
    public void The_lessons_are_there()
    {
        var names = Repo.NotebookNames().ToArray();
        Assert.Contains("00-start-here.ipynb", names);
        Assert.Contains("01-autodiff-from-scratch.ipynb", names);
        Assert.All(names, n => Assert.Matches(@"^\d\d-[a-z0-9-]+\.ipynb$", n));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Is_committed_without_outputs(string name)
    {
        foreach (var cell in Load(name).CodeCells)
        {
            Assert.True(cell.Outputs.Count == 0, $"{name}: {cell.Describe()}\nhas outputs; clear all outputs before committing");
            Assert.True(cell.Json["execution_count"] is null, $"{name}: cell {cell.Index} has an execution_count; clear outputs before committing");
            Assert.False(cell.Metadata?.Any(kv => kv.Key.StartsWith("dotnet_repl", StringComparison.Ordinal)) ?? false,
                $"{name}: cell {cell.Index} carries dotnet-repl run metadata; commit the source notebook, not a run's output");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Has_polyglot_notebook_metadata_for_the_csharp_kernel(string name)
    {
        var nb = Load(name);
        Assert.Equal(4, (int?)nb.Json["nbformat"]);
        var meta = nb.Json["metadata"] as JsonObject;
        Assert.NotNull(meta);
        Assert.Equal(".net-csharp", (string?)meta["kernelspec"]?["name"]);
        Assert.Equal("C#", (string?)meta["kernelspec"]?["language"]);
        Assert.False(string.IsNullOrEmpty((string?)meta["language_info"]?["name"]), $"{name}: metadata.language_info.name is missing");
        var kernelInfo = meta["polyglot_notebook"]?["kernelInfo"];
        Assert.Equal("csharp", (string?)kernelInfo?["defaultKernelName"]);
        Assert.Contains("csharp", (kernelInfo?["items"] as JsonArray ?? []).Select(i => (string?)i?["name"]));
        foreach (var cell in nb.CodeCells)
            Assert.True((string?)cell.Metadata?["polyglot_notebook"]?["kernelName"] == "csharp",
                $"{name}: code cell {cell.Index} lacks metadata.polyglot_notebook.kernelName = \"csharp\"");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Starts_with_a_title_then_the_shared_setup_cell(string name)
    {
        var nb = Load(name);
        Assert.True(nb.Cells.Count > 0 && !nb.Cells[0].IsCode && nb.Cells[0].Source.StartsWith("# ", StringComparison.Ordinal),
            $"{name}: the first cell should be a markdown title (\"# ...\")");
        string setup = File.ReadAllText(Repo.SetupCellPath).TrimEnd();
        var first = nb.CodeCells.First();
        Assert.True(first.Source.TrimEnd() == setup,
            $"{name}: the first code cell must be exactly notebooks/_setup.csx.\nexpected:\n{setup}\ngot:\n{first.Source}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Has_at_least_two_exercises_each_with_a_solution_and_a_check_cell_after_it(string name)
    {
        var nb = Load(name);
        var exercises = nb.Cells.Where(c => c.ExerciseId is not null).ToArray();
        Assert.True(exercises.Length >= 2, $"{name}: {exercises.Length} exercise cell(s); each lesson needs at least two");
        Assert.Equal(exercises.Length, exercises.Select(e => e.ExerciseId).Distinct().Count());
        foreach (var ex in exercises)
        {
            Assert.True(ex.IsCode, $"{name}: exercise {ex.ExerciseId} is not a code cell");
            Assert.False(string.IsNullOrWhiteSpace(ex.Solution), $"{name}: exercise {ex.ExerciseId} has no metadata.rnnlab.solution");
            Assert.NotEqual(ex.Source.Trim(), ex.Solution!.Trim());
            var checks = nb.Cells.Where(c => c.CheckId == ex.ExerciseId).ToArray();
            Assert.True(checks.Length == 1, $"{name}: exercise {ex.ExerciseId} needs exactly one check cell, found {checks.Length}");
            Assert.True(checks[0].Index > ex.Index, $"{name}: the check for {ex.ExerciseId} comes before the exercise");
        }
        foreach (var check in nb.Cells.Where(c => c.CheckId is not null))
            Assert.Contains(check.CheckId, exercises.Select(e => e.ExerciseId));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Declares_the_charts_it_draws(string name)
    {
        int charts = Load(name).Cells.Sum(c => c.ExpectedCharts);
        Assert.True(charts >= 1, $"{name}: no cell declares metadata.rnnlab.charts; a lesson shows its idea in at least one chart");
    }
}
