namespace RnnLab.Cli;

/// <summary>One subcommand of <c>rnnlab</c>: its name, a one-line summary, its help text, and what it does.</summary>
public abstract class Command
{
    public abstract string Name { get; }
    public abstract string Summary { get; }
    /// <summary>Usage and options, shown by <c>rnnlab NAME --help</c>.</summary>
    public abstract string Help { get; }

    /// <summary>Runs the command; returns the exit code. Throw <see cref="UsageException"/> for bad arguments.</summary>
    public abstract int Run(Args args, CliConsole console);
}
