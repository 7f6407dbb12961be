using RnnLab.Cli.Commands;

namespace RnnLab.Cli;

/// <summary>
/// The <c>rnnlab</c> command: picks the subcommand, runs it, and turns errors into exit codes:
/// 0 success, 1 a failure while running (a failed gradient check, a training that diverged), 2 bad arguments or input.
/// </summary>
public static class Cli
{
    public static IReadOnlyList<Command> Commands { get; } =
    [
        new TourCommand(),
        new TrainCommand(),
        new SampleCommand(),
        new InspectCommand(),
        new GradcheckCommand(),
        new DataCommand(),
    ];

    public static int Run(string[] argv, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        if (argv.Length == 0 || argv[0] is "--help" or "-h" or "help")
        {
            output.Write(Usage());
            return argv.Length == 0 ? 2 : 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == argv[0]);
        if (command is null)
        {
            error.WriteLine($"rnnlab: unknown command '{argv[0]}'.");
            error.Write(Usage());
            return 2;
        }
        try
        {
            var args = new Args(argv.Skip(1));
            if (args.Help)
            {
                output.WriteLine(command.Help.TrimEnd());
                return 0;
            }
            return command.Run(args, console);
        }
        catch (UsageException e)
        {
            error.WriteLine($"rnnlab {command.Name}: {e.Message}");
            error.WriteLine($"Run 'rnnlab {command.Name} --help' for the options.");
            return 2;
        }
        catch (RnnLabException e)
        {
            error.WriteLine($"rnnlab {command.Name}: {e.Message}");
            return 2;
        }
    }

    public static string Usage()
    {
        var lines = new List<string>
        {
            "rnnlab: recurrent neural networks you can watch at work.",
            "",
            "Usage: rnnlab <command> [options]      (from a clone: dotnet run --project src/RnnLab.Cli -- <command>)",
            "",
            "Commands:",
        };
        lines.AddRange(Commands.Select(c => $"  {c.Name,-10} {c.Summary}"));
        lines.Add("");
        lines.Add("Run 'rnnlab <command> --help' for a command's options.");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
