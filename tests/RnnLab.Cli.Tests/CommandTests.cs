using System.Text.Json;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Probes;
using RnnLab.Training;

namespace RnnLab.Cli.Tests;

public sealed class CommandTests
{
    private static readonly string[] Tiny = ["--hidden", "8", "--batch", "4", "--bptt", "12", "--eval-every", "5"];

    [Fact]
    public void Train_then_sample_then_inspect_a_character_model()
    {
        string dir = CliRun.TempDir(), model = Path.Combine(dir, "m.safetensors");
        var train = CliRun.Run([.. "train char-lm --steps 10 --save-f32 --out".Split(' '), model, .. Tiny]);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("validation", train.Out);
        Assert.True(File.Exists(model));

        var a = CliRun.Run("sample", model, "--prime", "ROMEO:", "--length", "40", "--seed", "3");
        var b = CliRun.Run("sample", model, "--prime", "ROMEO:", "--length", "40", "--seed", "3");
        Assert.Equal(0, a.ExitCode);
        Assert.StartsWith("ROMEO:", a.Out);
        Assert.Equal(a.Out, b.Out);                                 // same seed, same text
        Assert.Equal(46, a.Out.TrimEnd('\r', '\n').Length);

        var table = CliRun.Run("inspect", model, "--text", "To be, or not");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("top predictions", table.Out);
        string html = Path.Combine(dir, "inspect.html");
        Assert.Equal(0, CliRun.Run("inspect", model, "--text", "To be, or not", "--html", html).ExitCode);
        Assert.Contains("plotly", File.ReadAllText(html));
    }

    [Fact]
    public void Interrupted_training_resumes_to_the_same_weights()
    {
        string dir = CliRun.TempDir(), whole = Path.Combine(dir, "whole.safetensors"), parts = Path.Combine(dir, "parts.safetensors");
        Assert.Equal(0, CliRun.Run([.. "train char-lm --steps 12 --out".Split(' '), whole, .. Tiny]).ExitCode);
        Assert.Equal(0, CliRun.Run([.. "train char-lm --steps 5 --out".Split(' '), parts, .. Tiny]).ExitCode);
        var resumed = CliRun.Run([.. "train char-lm --steps 12 --resume --out".Split(' '), parts, .. Tiny]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        var w = Safetensors.Load(whole).Tensors;
        var p = Safetensors.Load(parts).Tensors;
        Assert.Equal(w.Keys.Order(), p.Keys.Order());
        foreach (var (name, t) in w) Assert.Equal(t.Data, p[name].Data);   // bit-identical

        var mismatch = CliRun.Run([.. "train char-lm --steps 14 --resume --lr 0.01 --out".Split(' '), parts, .. Tiny]);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("lr", mismatch.Error);
    }

    [Fact]
    public void The_thread_count_does_not_change_the_weights_and_the_run_reports_processor_time()
    {
        string dir = CliRun.TempDir(), one = Path.Combine(dir, "one.safetensors"), two = Path.Combine(dir, "two.safetensors");
        int before = Parallelism.MaxThreads;
        var r1 = CliRun.Run([.. "train char-lm --steps 6 --threads 1 --out".Split(' '), one, .. Tiny]);
        Assert.True(r1.ExitCode == 0, r1.Error);
        Assert.Equal(before, Parallelism.MaxThreads);                       // the command puts the setting back
        Assert.Matches(@"final: step 6, \d+ s \(\d+ s of processor time\), train \d\.\d{3}, validation \d\.\d{3}", r1.Out);
        Assert.Equal(0, CliRun.Run([.. "train char-lm --steps 6 --threads 2 --out".Split(' '), two, .. Tiny]).ExitCode);
        var a = Safetensors.Load(one).Tensors;
        var b = Safetensors.Load(two).Tensors;
        foreach (var (name, t) in a) Assert.Equal(t.Data, b[name].Data);   // bit-identical

        var bad = CliRun.Run("train", "char-lm", "--threads", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--threads", bad.Error);
    }

    [Fact]
    public void Inspect_reads_a_checkpoint_laid_out_like_a_PyTorch_state_dict()
    {
        // What a PyTorch user exports: rnn = nn.LSTM(V, H, 2), head = nn.Linear(H, V), float32, vocabulary and cell in __metadata__.
        const int V = 5, H = 3, L = 2;
        var vocabulary = new CharVocabulary("abcd ".ToCharArray(), unknown: null);
        var rng = new Rng(42);
        var tensors = new Dictionary<string, Tensor>();
        for (int l = 0; l < L; l++)
        {
            tensors[$"rnn.weight_ih_l{l}"] = Tensor.Normal(rng, 0, 0.5, 4 * H, l == 0 ? V : H);
            tensors[$"rnn.weight_hh_l{l}"] = Tensor.Normal(rng, 0, 0.5, 4 * H, H);
            tensors[$"rnn.bias_ih_l{l}"] = Tensor.Normal(rng, 0, 0.5, 4 * H);
            tensors[$"rnn.bias_hh_l{l}"] = Tensor.Normal(rng, 0, 0.5, 4 * H);
        }
        tensors["head.weight"] = Tensor.Normal(rng, 0, 0.5, V, H);
        tensors["head.bias"] = Tensor.Normal(rng, 0, 0.5, V);
        string dir = CliRun.TempDir(), file = Path.Combine(dir, "from_pytorch.safetensors"), json = Path.Combine(dir, "trace.json");
        Safetensors.Save(file, tensors, new Dictionary<string, string> { ["vocabulary"] = vocabulary.ToMetadataString(), ["cell"] = "lstm" },
                         SafetensorsDType.F32);

        var r = CliRun.Run("inspect", file, "--text", "abc dab", "--json", json);
        Assert.True(r.ExitCode == 0, r.Error);
        var trace = TraceJson.Deserialize(File.ReadAllText(json));

        // The library's own forward with the same (float32-rounded) weights.
        var model = new SequenceModel(RecurrentKind.Lstm, V, H, V, new Rng(0), L);
        model.LoadStateDict(Safetensors.Load(file).Tensors);
        var x = Tensor.OneHot(vocabulary.Encode("abc da"), V).Reshape(6, 1, V);
        var lstm = (Lstm)model.Recurrent;
        var output = lstm.Forward(x).Output;                                         // [T, 1, H], last layer
        Assert.Equal(6, trace.Steps);
        for (int t = 0; t < 6; t++)
            for (int u = 0; u < H; u++)
                Assert.Equal(output[t, 0, u], trace.LastLayer().H[t][0][u], 12);
        Assert.NotNull(trace.LastLayer().HGradNorm);
        Assert.Equal(["i", "f", "g", "o"], trace.LastLayer().Gates.Select(g => g.Name));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(File.ReadAllText(json)).RootElement.ValueKind);
    }

    [Theory]
    [InlineData("recall")]
    [InlineData("copy")]
    [InlineData("forecast")]
    public void Memory_and_forecasting_tasks_train_and_save(string task)
    {
        string dir = CliRun.TempDir(), model = Path.Combine(dir, task + ".safetensors");
        var r = CliRun.Run("train", task, "--hidden", "6", "--distance", "3", "--window", "12", "--series", "airpassengers",
                           "--steps", "6", "--eval-every", "3", "--out", model);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("baseline", r.Out);                                  // every task reports its no-memory / naive baseline
        Assert.Equal(task, Safetensors.Load(model).Metadata["task"]);
    }

    [Fact]
    public void Gradcheck_passes_for_every_component()
    {
        var r = CliRun.Run("gradcheck");
        Assert.True(r.ExitCode == 0, r.Out + r.Error);
        Assert.Contains("LstmCell", r.Out);
        Assert.Contains("TransformerEncoderBlock", r.Out);
        Assert.DoesNotContain("FAIL", r.Out);
    }

    [Fact]
    public void Data_list_finds_the_reference_copies()
    {
        var r = CliRun.Run("data", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("tinyshakespeare", r.Out);
        Assert.DoesNotContain("not found", r.Out);
        var fetch = CliRun.Run("data", "fetch", "airpassengers");
        Assert.Equal(0, fetch.ExitCode);
        Assert.Contains("verified", fetch.Out);
    }
}
