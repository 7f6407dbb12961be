using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab sample</c>: text from a trained character model.</summary>
public sealed class SampleCommand : Command
{
    public override string Name => "sample";
    public override string Summary => "Generate text from a character-model checkpoint.";
    public override string Help => """
        Usage: rnnlab sample <checkpoint> [--prime TEXT] [--temperature T] [--length N] [--seed S]

          --prime TEXT       text the model reads first (default: a random character)
          --temperature T    < 1 safer and more repetitive, > 1 more surprising     [0.8]
          --length N         characters to generate                                 [500]
          --seed S           random seed (same seed, same text)                     [1]
        """;

    public override int Run(Args args, CliConsole console)
    {
        string prime = args.String("prime", "");
        double temperature = args.Double("temperature", 0.8, min: 1e-3, max: 100);
        int length = args.Int("length", 500, min: 0, max: 1_000_000);
        ulong seed = (ulong)args.Int("seed", 1, min: 0);
        args.EnsureAllUsed(maxPositional: 1);
        string path = args.Positional.Count == 1 ? args.Positional[0] : throw new UsageException("give the checkpoint to sample from");

        var m = ModelFile.LoadCharModel(path);
        foreach (char ch in prime)
            if (!m.Vocabulary.Contains(ch) && m.Vocabulary.Unknown is null)
                throw new UsageException($"--prime: the character '{ch}' is not in the model's vocabulary");
        console.Out.Write(prime);
        console.Out.WriteLine(Sampler.Sample(m.Model, m.Vocabulary, prime, length, temperature, new Rng(seed)));
        return 0;
    }
}
