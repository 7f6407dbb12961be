using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Tests.Probes;

public sealed class TraceJsonTests
{
    private static Trace LstmTrace()
    {
        var vocab = CharVocabulary.FromText("to be or not");
        var model = new SequenceModel(RecurrentKind.Lstm, vocab.Size, 3, vocab.Size, new Rng(1), numLayers: 2);
        return Probe.Run(model, "to be", vocab);
    }

    // Every field, compared by value (records holding arrays compare arrays by reference).
    private static void AssertSameTrace(Trace a, Trace b)
    {
        Assert.Equal((a.Kind, a.Steps, a.Batch, a.InputSize, a.HiddenSize, a.Loss), (b.Kind, b.Steps, b.Batch, b.InputSize, b.HiddenSize, b.Loss));
        Assert.Equal(a.Tokens, b.Tokens);
        Assert.Equal(a.Input, b.Input);
        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Probabilities, b.Probabilities);
        Assert.Equal(a.Targets, b.Targets);
        Assert.Equal(a.StepLoss, b.StepLoss);
        Assert.Equal(a.InputGradNorm, b.InputGradNorm);
        Assert.Equal(a.ParameterGradNorms, b.ParameterGradNorms);   // NamedNorm holds no arrays: value equality
        Assert.Equal(a.Layers.Length, b.Layers.Length);
        for (int k = 0; k < a.Layers.Length; k++)
        {
            LayerTrace x = a.Layers[k], y = b.Layers[k];
            Assert.Equal((x.Layer, x.Reverse), (y.Layer, y.Reverse));
            Assert.Equal(x.H, y.H);
            Assert.Equal(x.C, y.C);
            Assert.Equal(x.Gates.Select(g => g.Name), y.Gates.Select(g => g.Name));
            for (int g = 0; g < x.Gates.Length; g++) Assert.Equal(x.Gates[g].Values, y.Gates[g].Values);
            Assert.Equal(x.HGradNorm, y.HGradNorm);
            Assert.Equal(x.CGradNorm, y.CGradNorm);
        }
    }

    [Fact]
    public void Trace_round_trips_through_JSON_bit_for_bit()
    {
        var trace = LstmTrace();
        var back = TraceJson.Deserialize(TraceJson.Serialize(trace));
        AssertSameTrace(trace, back);
        AssertSameTrace(trace, TraceJson.Deserialize(TraceJson.Serialize(trace, indented: true)));
        Assert.Equal(TraceJson.Serialize(trace), TraceJson.Serialize(back));
    }

    [Fact]
    public void Forward_only_trace_with_infinities_round_trips_and_files_are_written_whole()
    {
        var rng = new Rng(2);
        var rec = new TraceRecorder();
        var cell = new RnnCell(2, 3, rng);
        Tensor? h = null;
        for (int t = 0; t < 4; t++) { var s = cell.Step(Tensor.Uniform(rng, -1, 1, 2, 2), h); rec.Record(s); h = s.H; }
        var trace = rec.Finish() with { StepLoss = [double.PositiveInfinity, double.NaN, 0, -0.5] };
        string dir = Path.Combine(Path.GetTempPath(), "rnnlab-trace-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "trace.json");
            TraceJson.Save(trace, path);
            var back = TraceJson.Load(path);
            AssertSameTrace(trace, back);
            Assert.Null(back.Layers[0].HGradNorm);
            Assert.Equal(["trace.json"], Directory.GetFiles(dir).Select(Path.GetFileName));   // no temp file left
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void JSON_uses_the_documented_field_names()
    {
        string json = TraceJson.Serialize(LstmTrace());
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("rnnlab.trace", root.GetProperty("schema").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var t = root.GetProperty("trace");
        string[] documented = ["kind", "steps", "batch", "inputSize", "hiddenSize", "tokens", "input", "layers", "output",
                               "probabilities", "targets", "stepLoss", "loss", "inputGradNorm", "parameterGradNorms"];
        Assert.Equal(documented, t.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Lstm", t.GetProperty("kind").GetString());
        var layer = t.GetProperty("layers")[0];
        Assert.Equal(["layer", "reverse", "h", "c", "gates", "hGradNorm", "cGradNorm"], layer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "values"], layer.GetProperty("gates")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "norm"], t.GetProperty("parameterGradNorms")[0].EnumerateObject().Select(p => p.Name));
        // the schema document lists every field
        string schema = File.ReadAllText(Path.Combine(RepoRoot(), "src", "RnnLab", "Probes", "TRACE_SCHEMA.md"));
        foreach (string name in documented.Concat(["layer", "reverse", "h", "c", "gates", "hGradNorm", "cGradNorm", "name", "values", "norm"]))
            Assert.Contains($"`{name}`", schema);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RnnLab.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("RnnLab.sln not found above the test folder");
    }

    [Theory]
    [InlineData("{", "not a valid trace file")]
    [InlineData("{\"schema\":\"other\",\"version\":1}", "not an RnnLab trace")]
    [InlineData("{\"schema\":\"rnnlab.trace\",\"version\":9,\"trace\":{}}", "version 9")]
    [InlineData("{\"schema\":\"rnnlab.trace\",\"version\":1}", "no \"trace\"")]
    public void Malformed_files_are_refused_with_a_reason(string json, string message) =>
        Assert.Contains(message, Assert.Throws<RnnLabException>(() => TraceJson.Deserialize(json)).Message);

    [Fact]
    public void Arrays_of_the_wrong_shape_are_refused()
    {
        var trace = LstmTrace();
        string Tampered(Trace t) => TraceJson.Serialize(t);
        var badH = trace.Layers[0] with { H = trace.Layers[0].H[..2] };
        Assert.Contains("h\" has 2 steps", Assert.Throws<RnnLabException>(() => TraceJson.Deserialize(Tampered(trace with { Layers = [badH] }))).Message);
        Assert.Contains("tokens", Assert.Throws<RnnLabException>(() => TraceJson.Deserialize(Tampered(trace with { Tokens = ["a"] }))).Message);
        Assert.Contains("hGradNorm", Assert.Throws<RnnLabException>(() =>
            TraceJson.Deserialize(Tampered(trace with { Layers = [trace.Layers[0] with { HGradNorm = [1.0] }] }))).Message);
    }
}
