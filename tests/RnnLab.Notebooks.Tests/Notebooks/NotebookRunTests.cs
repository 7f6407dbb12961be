using RnnLab.Notebooks.Tests.Harness;

namespace RnnLab.Notebooks.Tests.Notebooks;

/// <summary>
/// Every lesson runs top to bottom through dotnet-repl twice: as committed (exercise cells hold the
/// starter code a learner sees, so every exercise check must say "not yet"), and with each exercise
/// cell replaced by its stored solution (so every check must pass). This tests the check cells both ways.
/// </summary>
public sealed class NotebookRunTests(ITestOutputHelper output)
{
    public static TheoryData<string> Notebooks() => Repo.Notebooks();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Runs_as_committed_and_every_exercise_check_reports_the_starter_code(string name)
    {
        var input = NotebookDoc.Load(Path.Combine(Repo.NotebooksDir, name));
        var run = NotebookRunner.Run(input, name);
        output.WriteLine($"{name} as committed: {run.Elapsed.TotalSeconds:0.0} s");

        RunAssertions.RanCleanly(run);
        foreach (var cell in run.Executed.Cells.Where(c => c.CheckId is not null))
            Assert.True(cell.FailedChecks > 0,
                $"{name}: with the starter code, the check in {cell.Describe()}\nshould report the exercise as not done yet, but showed:\n{string.Join("\n", cell.HtmlOutputs)}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Runs_with_the_stored_solutions_and_every_exercise_check_passes(string name)
    {
        var input = NotebookDoc.Load(Path.Combine(Repo.NotebooksDir, name)).WithSolutions();
        var run = NotebookRunner.Run(input, name);
        output.WriteLine($"{name} with solutions: {run.Elapsed.TotalSeconds:0.0} s");

        RunAssertions.RanCleanly(run);
        foreach (var cell in run.Executed.Cells.Where(c => c.CheckId is not null))
            Assert.True(cell.PassedChecks > 0 && cell.FailedChecks == 0,
                $"{name}: with the stored solution, the check in {cell.Describe()}\nshould pass, but showed:\n{string.Join("\n", cell.HtmlOutputs)}");
    }
}
