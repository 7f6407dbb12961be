using RnnLab.Cli.Tour;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab tour</c>: the newcomer's first minute, one offline HTML page of RNNs at work.</summary>
public sealed class TourCommand : Command
{
    public override string Name => "tour";
    public override string Summary => "Run the key experiments and write one offline HTML report (the place to start).";
    public override string Help => """
        Usage: rnnlab tour [--out DIR] [--quick] [--seed N]

        Runs, on this machine: gradient magnitude per step for RNN vs LSTM vs GRU with the predicted decay; the
        spectral-radius sweep; a short character-LSTM training on tiny Shakespeare with samples at rising temperature,
        then samples from the LSTM trained ahead of time that ships with RnnLab (notebooks/checkpoints, also copied
        beside the program); that LSTM's gates and cell state along a sentence; RNN vs LSTM vs GRU on a memory task
        against the no-memory baseline; and an attention alignment from a date translator. Writes DIR/rnnlab-tour.html (default DIR:
        ./rnnlab-tour) and prints its path. About 1.5 minutes on two cores; --quick takes seconds (rougher results).

        Needs tiny Shakespeare: found through RNNLAB_DATA_DIR or the cache, else downloaded once
        (or run 'rnnlab data fetch --all' beforehand for an offline classroom).
        """;

    public override int Run(Args args, CliConsole console)
    {
        string outDir = args.String("out", "rnnlab-tour");
        bool quick = args.Flag("quick");
        ulong seed = (ulong)args.Int("seed", 1, min: 0);
        args.EnsureAllUsed(maxPositional: 0);

        string path = TourRunner.Run(outDir, quick ? TourBudget.Quick : TourBudget.Default, seed, console);
        console.Out.WriteLine($"Tour report written to {path}");
        console.Out.WriteLine("Open it in a browser (it works offline).");
        return 0;
    }
}
