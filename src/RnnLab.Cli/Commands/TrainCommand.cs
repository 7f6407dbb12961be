using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Cli.Training;
using RnnLab.Data;
using RnnLab.Data.Tasks;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Cli.Commands;

/// <summary><c>rnnlab train</c>: a character language model, or a memory task, with checkpoints that resume.</summary>
public sealed class TrainCommand : Command
{
    public override string Name => "train";
    public override string Summary => "Train a character model or a memory task; checkpoints (safetensors) that resume.";
    public override string Help => """
        Usage: rnnlab train <task> [options]

        Tasks:
          char-lm          next-character model on a text (default: tiny Shakespeare)
          recall           delayed recall, the race of lesson 04 and the tour (RecallRace): remember one of
                           --symbols symbols across --distance distractors drawn from --noise noise tokens
          copy             copy memory (Arjovsky et al. 2016) with a delay of --distance steps
          forecast         next value(s) of a time series: --series weather | airpassengers | stock

        Options ([recall's default] where it differs, the settings of RecallRace):
          --corpus PATH    text file for char-lm (default: tiny Shakespeare via RNNLAB_DATA_DIR / cache / download)
          --cell KIND      lstm | gru | rnn (tanh)                 [lstm]
          --layers N       stacked recurrent layers                 [1]
          --hidden N       hidden units                             [128; recall 32]
          --bptt N         time steps per sequence (char-lm)        [64]
          --distance N     memory distance: copy's delay, recall's distractors [copy 20; recall 100]
          --symbols N      symbols to remember (recall; chance 1/N) [4]
          --noise N        noise tokens the distractors are drawn from (recall; 0: from the symbols) [8]
          --keep-bias X    LSTM forget-gate / GRU update-gate bias at the start (recall) [4]
          --series NAME    weather | airpassengers | stock (forecast) [weather]
          --window N       input window (forecast)                  [30]
          --horizon N      values predicted at once (forecast)      [1]
          --batch N        sequences per step                       [32]
          --optimizer O    adam | sgd | rmsprop | adagrad           [adam]
          --lr X           learning rate                            [0.002; recall 0.003]
          --clip X         clip the global gradient norm (0: off)   [5]
          --steps N        stop after N steps ...
          --minutes X      ... or after X minutes (default: 1000 steps; recall 300)
          --eval-every N   print validation loss every N steps      [100]
          --save-every N   save checkpoint + resume snapshot        [500]
          --out PATH       checkpoint to write (.safetensors)       [model.safetensors]
          --save-f32       store the checkpoint in float32 (half the size)
          --resume         continue from OUT.resume.safetensors (same options)
          --seed N         random seed                              [1]
          --threads N      threads for the kernels (same numbers for any count) [all cores]

        Examples (the quality benchmark of the README; lesson 04's LSTM, then its tanh RNN):
          rnnlab train char-lm --cell lstm --hidden 128 --batch 32 --bptt 64 --lr 0.002 --clip 5 --minutes 8
          rnnlab train recall
          rnnlab train recall --cell rnn --steps 300
        """;

    public override int Run(Args args, CliConsole console)
    {
        string task = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("name a task: char-lm, recall, copy or forecast");
        if (task is not ("char-lm" or "recall" or "copy" or "forecast")) throw new UsageException($"unknown task '{task}'; use char-lm, recall, copy or forecast");
        string? corpusPath = args.String("corpus");
        string cell = args.Choice("cell", "lstm", "lstm", "gru", "rnn");
        int layers = args.Int("layers", 1, min: 1, max: 8);
        var race = new RecallRaceOptions();                                 // recall's defaults: the race of lesson 04
        bool recall = task == "recall";
        int hidden = args.Int("hidden", recall ? race.HiddenSize : 128, min: 1, max: 4096);
        int bptt = args.Int("bptt", 64, min: 1, max: 10_000);
        int distance = args.Int("distance", recall ? race.Distractors : 20, min: 1, max: 10_000);
        int? symbols = args.String("symbols") is null ? null : args.Int("symbols", race.Symbols, min: 2, max: 1_000);
        int? noise = args.String("noise") is null ? null : args.Int("noise", race.NoiseSymbols, min: 0, max: 10_000);
        double? keepBias = args.String("keep-bias") is null ? null : args.Double("keep-bias", race.KeepGateBias, min: -20, max: 20);
        string series = args.Choice("series", "weather", "weather", "airpassengers", "stock");
        int window = args.Int("window", 30, min: 1, max: 10_000);
        int horizon = args.Int("horizon", 1, min: 1, max: 1_000);
        int batch = args.Int("batch", recall ? race.BatchSize : 32, min: 1, max: 100_000);
        string optimizerName = args.Choice("optimizer", "adam", "adam", "sgd", "rmsprop", "adagrad");
        double lr = args.Double("lr", recall ? race.LearningRate : 2e-3, min: 0);
        double clip = args.Double("clip", recall ? race.ClipGradNorm : 5, min: 0);
        int? steps = args.String("steps") is null ? null : args.Int("steps", 0, min: 1);
        double? minutes = args.String("minutes") is null ? null : args.Double("minutes", 0, min: 0.001);
        int evalEvery = args.Int("eval-every", 100, min: 0);
        int saveEvery = args.Int("save-every", 500, min: 0);
        string outPath = args.String("out", "model.safetensors");
        bool saveF32 = args.Flag("save-f32");
        bool resume = args.Flag("resume");
        ulong seed = (ulong)args.Int("seed", 1, min: 0);
        int threads = args.Int("threads", Environment.ProcessorCount, min: 1, max: 1024);
        args.EnsureAllUsed(maxPositional: 1);
        if (task != "char-lm" && corpusPath is not null) throw new UsageException("--corpus is for char-lm only");
        if (!recall && (symbols ?? noise ?? keepBias) is not null)
            throw new UsageException("--symbols, --noise and --keep-bias are for recall only");
        if (steps is null && minutes is null) steps = recall ? race.TrainingSteps : 1000;

        var kind = cell switch { "gru" => RecurrentKind.Gru, "rnn" => RecurrentKind.RnnTanh, _ => RecurrentKind.Lstm };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "rnnlab.sequence-model",
            ["task"] = task,
            ["cell"] = cell,
            ["layers"] = Inv(layers),
            ["hidden"] = Inv(hidden),
            ["optimizer"] = optimizerName,
            ["lr"] = Inv(lr),
            ["clip"] = Inv(clip),
            ["batch"] = Inv(batch),
            ["seed"] = Inv(seed),
        };

        SequenceModel model;
        Func<int, SequenceBatch> batchAt;
        List<SequenceBatch> validation;
        string unit;
        if (task == "char-lm")
        {
            var corpus = corpusPath is null ? TinyShakespeare.Load() : CharCorpus.FromText(ReadCorpus(corpusPath));
            int v = corpus.Vocabulary.Size;
            if (corpus.Train.Length <= bptt + 1 || corpus.Validation.Length <= bptt + 1)
                throw new UsageException($"the corpus is too short for --bptt {bptt}: it needs more than {10 * (bptt + 1)} characters");
            metadata["vocabulary"] = corpus.Vocabulary.ToMetadataString();
            metadata["bptt"] = Inv(bptt);
            metadata["corpus"] = corpusPath is null ? "tinyshakespeare" : Path.GetFileName(corpusPath);
            model = new SequenceModel(kind, v, hidden, v, new Rng(seed), layers);
            batchAt = s => SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(corpus.Train, batch, bptt, StepRng(seed, s)), v);
            // Validation as in the PyTorch reference (anchors/torch_charlm_quality.py): 20 fixed random windows of the last 10%.
            validation = Enumerable.Range(0, 20)
                .Select(i => SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(corpus.Validation, batch, bptt, new Rng(1_000_000 + (ulong)i)), v))
                .ToList();
            unit = "nats/char";
        }
        else if (recall)
        {
            // The race's own task, model, batches and held-out set: with the defaults this trains lesson 04's LSTM.
            race = race with
            {
                Symbols = symbols ?? race.Symbols, Distractors = distance, NoiseSymbols = noise ?? race.NoiseSymbols,
                HiddenSize = hidden, BatchSize = batch, LearningRate = lr, ClipGradNorm = clip,
                KeepGateBias = keepBias ?? race.KeepGateBias, Seed = seed,
            };
            var recallTask = RecallRace.NewTask(race);
            metadata["symbols"] = Inv(recallTask.Symbols);
            metadata["distance"] = Inv(recallTask.Distractors);
            metadata["noise"] = Inv(recallTask.NoiseSymbols);
            metadata["keep_bias"] = Inv(race.KeepGateBias);
            model = RecallRace.NewModel(kind, recallTask, race, layers);
            batchAt = s => RecallRace.TrainingBatch(recallTask, race, s - 1);      // TrainingRun counts steps from 1
            validation = [RecallRace.HeldOut(recallTask, race)];
            unit = $"nats (no-memory baseline {recallTask.Baseline.Value:F3}, chance accuracy {recallTask.AccuracyBaseline.Value:P0})";
        }
        else if (task == "forecast")
        {
            var data = Forecasting.Prepare(series switch
            {
                "airpassengers" => TimeSeriesDatasets.AirPassengers(),
                "stock" => TimeSeriesDatasets.StockPrice(),
                _ => TimeSeriesDatasets.MelbourneTemperatures(),
            }, window, horizon);
            metadata["series"] = series;
            metadata["window"] = Inv(window);
            metadata["horizon"] = Inv(horizon);
            model = new SequenceModel(kind, 1, hidden, horizon, new Rng(seed), layers);
            batchAt = s => ForecastBatch(data.Train, RandomRows(data.Train.Count, batch, StepRng(seed, s)));
            validation = [ForecastBatch(data.Validation, Enumerable.Range(0, data.Validation.Count).ToArray())];
            unit = $"MSE of standardised values (last-value baseline {LastValueMse(data.Validation):F3})";
        }
        else
        {
            var copy = new CopyMemory(distance);
            metadata["distance"] = Inv(distance);
            model = new SequenceModel(kind, CopyMemory.VocabularySize, hidden, CopyMemory.VocabularySize, new Rng(seed), layers);
            batchAt = s => SequenceBatch.FromTokens(copy.Sample(batch, StepRng(seed, s)), CopyMemory.VocabularySize);
            validation = [SequenceBatch.FromTokens(copy.Sample(256, new Rng(1_000_000)), CopyMemory.VocabularySize)];
            unit = $"nats/step (no-memory baseline {copy.Baseline.Value:F3})";
        }
        metadata["kind"] = kind.ToString();
        metadata["input_size"] = Inv(model.InputSize);
        metadata["output_size"] = Inv(model.OutputSize);

        Optimizer optimizer = optimizerName switch
        {
            "sgd" => new Sgd(model.Parameters(), lr),
            "rmsprop" => new RmsProp(model.Parameters(), lr),
            "adagrad" => new Adagrad(model.Parameters(), lr),
            _ => new Adam(model.Parameters(), lr),
        };
        var trainer = new Trainer(model, optimizer, new TrainerOptions { ClipGradNorm = clip > 0 ? clip : null, Seed = seed });
        console.Out.WriteLine($"Training {cell.ToUpperInvariant()} ({model.ParameterCount():N0} parameters) on {task}; " +
                              (steps is not null ? $"{steps} steps" : "") + (steps is not null && minutes is not null ? " or " : "") +
                              (minutes is not null ? $"{minutes} min" : "") + ". Ctrl+C stops and saves.");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        int threadsBefore = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            new TrainingRun(model, optimizer, trainer, batchAt, validation, metadata, unit)
                .Run(new RunSettings(steps, minutes is null ? null : TimeSpan.FromMinutes(minutes.Value), evalEvery, saveEvery, outPath, saveF32, resume),
                     console, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            Parallelism.MaxThreads = threadsBefore;
        }
        return 0;
    }

    /// <summary>
    /// Windows <paramref name="rows"/> as a many-to-one regression batch: inputs [W, B, 1]; only the last step's output
    /// is scored (mask), against the next <c>Horizon</c> values.
    /// </summary>
    private static SequenceBatch ForecastBatch(WindowSet set, int[] rows)
    {
        int w = set.InputWindow, h = set.Horizon, b = rows.Length;
        var inputs = Tensor.Zeros(w, b, 1);
        var values = Tensor.Zeros(w, b, h);
        var mask = Tensor.Zeros(w, b);
        for (int j = 0; j < b; j++)
        {
            for (int t = 0; t < w; t++) inputs.Data[t * b + j] = set.Inputs[rows[j] * w + t];
            for (int k = 0; k < h; k++) values.Data[((w - 1) * b + j) * h + k] = set.Targets[rows[j] * h + k];
            mask.Data[(w - 1) * b + j] = 1;
        }
        return SequenceBatch.Regression(inputs, values, mask);
    }

    private static int[] RandomRows(int count, int batch, Rng rng) => Enumerable.Range(0, batch).Select(_ => rng.NextInt(count)).ToArray();

    /// <summary>The naive forecast: every future value equals the last one seen.</summary>
    private static double LastValueMse(WindowSet set)
    {
        double total = 0;
        for (int i = 0; i < set.Count; i++)
            for (int k = 0; k < set.Horizon; k++)
            {
                double error = set.Targets[i * set.Horizon + k] - set.Inputs[(i + 1) * set.InputWindow - 1];
                total += error * error;
            }
        return total / (set.Count * set.Horizon);
    }

    /// <summary>The random generator of step s: a function of (seed, step) only, so resumed runs see the same data.</summary>
    private static Rng StepRng(ulong seed, int step) => new(seed * 0x9E3779B97F4A7C15UL + (ulong)step);

    private static string ReadCorpus(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"--corpus: no file at {Path.GetFullPath(path)}");
        return TextFiles.ReadAllText(path);
    }

    private static string Inv<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
