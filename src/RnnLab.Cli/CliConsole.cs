using Spectre.Console;

namespace RnnLab.Cli;

/// <summary>
/// Where a command writes: plain text to <see cref="Out"/> and <see cref="Error"/>, and Spectre.Console
/// tables and progress bars through <see cref="Ansi"/> (which writes to the same output, without colour when redirected).
/// </summary>
public sealed class CliConsole
{
    public TextWriter Out { get; }
    public TextWriter Error { get; }
    public IAnsiConsole Ansi { get; }

    public CliConsole(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) Ansi.Profile.Width = 120;   // tables in logs and tests: wide enough not to wrap names
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar (when the output is a terminal) or with plain progress lines.
    /// The callback reports a fraction in [0, 1] and a short status text.
    /// </summary>
    public T WithProgress<T>(string title, Func<Action<double, string>, T> work)
    {
        if (Ansi.Profile.Capabilities.Interactive)
        {
            T result = default!;
            Ansi.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                    result = work((fraction, status) =>
                    {
                        task.Value = Math.Clamp(fraction, 0, 1);
                        task.Description = Markup.Escape(status.Length > 0 ? $"{title}: {status}" : title);
                    });
                    task.Value = 1.0;
                });
            return result;
        }
        Out.WriteLine(title + " ...");
        int lastTenth = -1;
        return work((fraction, status) =>
        {
            int tenth = (int)(Math.Clamp(fraction, 0, 1) * 10);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Out.WriteLine($"  {tenth * 10,3}% {status}");
        });
    }
}
