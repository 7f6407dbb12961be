namespace RnnLab.Cli.Tests;

public sealed class ArgumentTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("train")]
    [InlineData("train", "char-lm", "--hidden", "-5")]
    [InlineData("train", "char-lm", "--batch", "0")]
    [InlineData("train", "char-lm", "--lr", "fast")]
    [InlineData("train", "char-lm", "--cell", "transformer")]
    [InlineData("train", "char-lm", "--corpus", "/no/such/file.txt")]
    [InlineData("train", "recall", "--wings", "2")]
    [InlineData("sample")]
    [InlineData("sample", "/no/such/model.safetensors")]
    [InlineData("inspect", "/no/such/model.safetensors", "--text", "hello")]
    [InlineData("tour", "--unknown-option")]
    [InlineData("gradcheck", "extra")]
    [InlineData("data", "fetch")]
    [InlineData("data", "fetch", "no-such-dataset")]
    public void Bad_arguments_exit_with_code_2_and_a_message(params string[] args)
    {
        var r = CliRun.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(r.Error), "the message goes to standard error");
        Assert.DoesNotContain("   at ", r.Error);   // a message, not a stack trace
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in Cli.Commands)
        {
            var r = CliRun.Run(command.Name, "--help");
            Assert.Equal(0, r.ExitCode);
            Assert.StartsWith("Usage:", r.Out);
            Assert.Contains("rnnlab " + command.Name, r.Out);
        }
        Assert.Contains("tour", CliRun.Run("--help").Out);
    }

    [Fact]
    public void A_checkpoint_of_the_wrong_kind_is_refused()
    {
        string dir = CliRun.TempDir();
        string recall = Path.Combine(dir, "recall.safetensors");
        Assert.Equal(0, CliRun.Run("train", "recall", "--hidden", "4", "--distance", "2", "--steps", "2", "--out", recall).ExitCode);
        var r = CliRun.Run("sample", recall);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a character model", r.Error);

        string notSafetensors = Path.Combine(dir, "notes.txt");
        File.WriteAllText(notSafetensors, "just some text, not a checkpoint");
        r = CliRun.Run("inspect", notSafetensors, "--text", "hello");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("notes.txt", r.Error);
    }
}
