// Trains the small character LSTM that lesson 06 loads (char-lstm-128.safetensors), on tiny Shakespeare.
// Run from the repository root (RNNLAB_DATA_DIR, the download cache or the network provides the text):
//   dotnet run notebooks/checkpoints/train-char-lstm.cs -c Release -- notebooks/checkpoints/char-lstm-128.safetensors 150
// Same seed, same file. Metadata keys match `rnnlab train char-lm --save-f32`, so lesson 06 loads either.
#:project ../../src/RnnLab/RnnLab.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
using System.Globalization;
using RnnLab;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Training;

const int hidden = 128, batch = 32, bptt = 64;
const double lr = 5e-3, clip = 5;
const ulong seed = 1;
string outPath = args.Length > 0 ? args[0] : "char-lstm-128.safetensors";
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 150;

var corpus = TinyShakespeare.Load();
int v = corpus.Vocabulary.Size;
var model = new SequenceModel(RecurrentKind.Lstm, v, hidden, v, new Rng(seed));
var trainer = new Trainer(model, new Adam(model.Parameters(), learningRate: lr), new TrainerOptions { ClipGradNorm = clip, Seed = seed });
var validation = Enumerable.Range(0, 8)
    .Select(i => SequenceBatch.FromTokens(LanguageModelBatches.RandomWindows(corpus.Validation, batch, bptt, new Rng(seed + 500 + (ulong)i)), v))
    .ToList();
for (int step = 1; step <= steps; step++)
{
    var windows = LanguageModelBatches.RandomWindows(corpus.Train, batch, bptt, new Rng(seed * 7_919 + (ulong)step));
    var (loss, _, failure) = trainer.TrainStep(SequenceBatch.FromTokens(windows, v), step);
    if (failure is not null) throw new RnnLabException("training diverged: " + failure);
    if (step % 50 == 0 || step == steps)
    {
        Console.WriteLine($"step {step}: train {loss:F3}, validation {trainer.Evaluate(validation).Loss:F3} nats/char");
        Save(step);   // every 50 steps, so an interrupted run still leaves the last good model
    }
}
Console.WriteLine($"saved {outPath} ({new FileInfo(outPath).Length / 1024} KB)");

void Save(int stepsDone) => Checkpoint.Save(outPath, model, new Dictionary<string, string>
{
    ["format"] = "rnnlab.sequence-model", ["task"] = "char-lm", ["cell"] = "lstm", ["layers"] = "1",
    ["hidden"] = Inv(hidden), ["optimizer"] = "adam", ["lr"] = Inv(lr), ["clip"] = Inv(clip), ["batch"] = Inv(batch),
    ["seed"] = Inv(seed), ["bptt"] = Inv(bptt), ["steps"] = Inv(stepsDone),
    ["vocabulary"] = corpus.Vocabulary.ToMetadataString(),
}, SafetensorsDType.F32);
string Inv(double x) => x.ToString(CultureInfo.InvariantCulture);
