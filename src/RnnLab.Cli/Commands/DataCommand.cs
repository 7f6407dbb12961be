using RnnLab.Data;
using Spectre.Console;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab data list</c> and <c>rnnlab data fetch [--all | NAME]</c>: datasets for an offline classroom.</summary>
public sealed class DataCommand : Command
{
    public override string Name => "data";
    public override string Summary => "List the datasets, or download and verify them for offline use.";
    public override string Help => """
        Usage:
          rnnlab data list                 every dataset, and where a copy was found (if any)
          rnnlab data fetch --all          download and verify every dataset into the cache
          rnnlab data fetch NAME           one dataset (names from 'data list')

        Copies are looked for in RNNLAB_DATA_DIR, then the cache (datasets/ in a clone of the repo, else
        ~/.cache/rnnlab). Each file is checked against its SHA-256 and written atomically.
        """;

    public override int Run(Args args, CliConsole console)
    {
        string verb = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("say 'list' or 'fetch'");
        return verb switch
        {
            "list" => List(args, console),
            "fetch" => Fetch(args, console),
            _ => throw new UsageException($"unknown data action '{verb}'; use 'list' or 'fetch'"),
        };
    }

    private static int List(Args args, CliConsole console)
    {
        args.EnsureAllUsed(maxPositional: 1);
        var fetcher = new DatasetFetcher(new DatasetFetcherOptions { AllowDownload = false });
        var table = new Table().AddColumns("name", "size", "found", "licence");
        foreach (var info in Datasets.All)
        {
            string found;
            try { found = fetcher.Fetch(info.Name).Location; }
            catch (RnnLabException) { found = "not found (rnnlab data fetch " + info.Name + ")"; }
            table.AddRow(Markup.Escape(info.Name), $"{info.SizeBytes / 1024.0:F0} KiB", Markup.Escape(found), Markup.Escape(info.Licence));
        }
        console.Ansi.Write(table);
        return 0;
    }

    private static int Fetch(Args args, CliConsole console)
    {
        bool all = args.Flag("all");
        args.EnsureAllUsed(maxPositional: 2);
        var names = all ? Datasets.All.Select(d => d.Name).ToList()
            : args.Positional.Count == 2 ? [args.Positional[1]]
            : throw new UsageException("name a dataset, or pass --all (see 'rnnlab data list')");
        foreach (string name in names)
        {
            var located = console.WithProgress($"fetching {name}", report =>
            {
                var progress = new Progress<DownloadProgress>(p => report(p.Fraction ?? 0, $"{p.BytesReceived / 1024} KiB"));
                return new DatasetFetcher(new DatasetFetcherOptions { Progress = progress }).Fetch(name);
            });
            console.Out.WriteLine($"{name}: verified ({located.Source}) at {located.Location}");
        }
        return 0;
    }
}
