using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Tests.Probes;

public sealed class ProbeTests
{
    private const int V = 5, H = 4, T = 6, B = 2;

    private static (Tensor Input, int[] Targets) Batch(Rng rng, int steps = T, int batch = B)
    {
        var ids = Enumerable.Range(0, steps * batch).Select(_ => rng.NextInt(V)).ToArray();
        var targets = Enumerable.Range(0, steps * batch).Select(_ => rng.NextInt(V)).ToArray();
        return (Tensor.OneHot(ids, V).Reshape(steps, batch, V), targets);
    }

    private static void Same(Tensor expected, double[][] rows)
    {
        Assert.Equal(expected.Shape[0], rows.Length);
        Assert.Equal(expected.Data, rows.SelectMany(r => r).ToArray());
    }

    [Fact]
    public void Lstm_model_trace_equals_a_manual_step_by_step_run()
    {
        var rng = new Rng(1);
        var model = new SequenceModel(RecurrentKind.Lstm, V, H, V, rng, numLayers: 2);
        var (input, targets) = Batch(rng);
        var tokens = Enumerable.Range(0, T).Select(t => $"tok{t}").ToArray();
        var trace = Probe.Run(model, input, targets, tokens);

        Assert.Equal((CellKind.Lstm, T, B, V, H), (trace.Kind, trace.Steps, trace.Batch, trace.InputSize, trace.HiddenSize));
        Assert.Equal(tokens, trace.Tokens);
        var lstm = (Lstm)model.Recurrent;
        var xs = Enumerable.Range(0, T).Select(t => input.Select(0, t)).ToArray();
        var logits = new List<Tensor>();
        for (int layer = 0; layer < 2; layer++)
        {
            var lt = trace.Layer(layer);
            Assert.Equal(["i", "f", "g", "o"], lt.Gates.Select(g => g.Name));
            LstmState? state = null;
            for (int t = 0; t < T; t++)
            {
                if (layer == 0) Same(xs[t], trace.Input![t]);
                var s = lstm.Cell(layer).Step(xs[t], state);
                Same(s.H, lt.H[t]); Same(s.C, lt.C![t]);
                Same(s.I, lt.Gate("i").Values[t]); Same(s.F, lt.Gate("f").Values[t]);
                Same(s.G, lt.Gate("g").Values[t]); Same(s.O, lt.Gate("o").Values[t]);
                state = s.State;
                xs[t] = s.H;
            }
        }
        double loss = 0;
        for (int t = 0; t < T; t++)
        {
            var z = model.Head.Forward(xs[t]);                                          // [B, V]
            Same(z, trace.Output![t]);
            var p = z.Softmax(1);
            for (int b = 0; b < B; b++)
            {
                for (int k = 0; k < V; k++) Assert.Equal(p[b, k], trace.Probabilities![t][b][k], 1e-15);
                Assert.Equal(targets[t * B + b], trace.Targets![t][b]);
            }
            double stepLoss = Tensor.CrossEntropy(z, targets.AsSpan(t * B, B).ToArray()).Item();
            Assert.Equal(stepLoss, trace.StepLoss![t], 1e-12);
            loss += stepLoss / T;
        }
        Assert.Equal(loss, trace.Loss!.Value, 1e-12);
        Assert.Equal(model.NamedParameters().Select(p => p.Name), trace.ParameterGradNorms!.Select(n => n.Name));
    }

    [Fact]
    public void Text_overload_reads_all_but_the_last_character_and_predicts_the_next()
    {
        var vocab = CharVocabulary.FromText("hello world");
        var model = new SequenceModel(RecurrentKind.Gru, vocab.Size, 3, vocab.Size, new Rng(2));
        var trace = Probe.Run(model, "hello", vocab);
        Assert.Equal(["h", "e", "l", "l"], trace.Tokens!);
        Assert.Equal(vocab.Encode("ello"), trace.Targets!.Select(t => t[0]));
        Assert.Equal(["r", "z", "n"], trace.Layers[0].Gates.Select(g => g.Name));
        Assert.Null(trace.Layers[0].C);
        Assert.Equal(Enumerable.Range(0, 4).Select(t => Array.IndexOf(trace.Input![t][0], 1.0)), vocab.Encode("hell"));
    }

    [Fact]
    public void Regression_model_probe_uses_the_mean_squared_error()
    {
        var rng = new Rng(12);
        var model = new SequenceModel(RecurrentKind.Gru, 2, 3, 1, rng);
        var input = Tensor.Uniform(rng, -1, 1, T, B, 2);
        var target = Tensor.Uniform(rng, -1, 1, T, B, 1);
        var trace = Probe.Run(model, input, target);
        var (output, _) = model.Forward(input);
        Assert.Equal(Tensor.MseLoss(output, target).Item(), trace.Loss!.Value, 1e-15);
        Assert.Null(trace.Probabilities);
        Assert.Null(trace.StepLoss);
        Assert.Equal(output.Data, trace.Output!.SelectMany(s => s.SelectMany(r => r)).ToArray());
    }

    // ---- gradient norms against finite differences -------------------------------------------------

    // The model's loss when h_t (or c_t, or x_t) of layer 0 is nudged by eps in feature j of sequence b: its central
    // difference in eps is the total derivative ∂L/∂h_t[b, j] that the probe reads from the tape.
    private static double PerturbedLoss(SequenceModel model, Tensor input, int[] targets, string what, int at, int b, int j, double eps)
    {
        using var _ = Tensor.NoGrad();
        var xs = Enumerable.Range(0, input.Shape[0]).Select(t => Tensor.FromArray(input.Select(0, t).Data, B, V)).ToArray();
        if (what == "x") xs[at].Data[b * V + j] += eps;
        var hs = new Tensor[xs.Length];
        object? state = null;
        for (int t = 0; t < xs.Length; t++)
        {
            Tensor h;
            switch (model.Recurrent)
            {
                case Lstm l:
                    var s = l.Cell(0).Step(xs[t], (LstmState?)state);
                    Tensor hh = Tensor.FromArray(s.H.Data, B, H), cc = Tensor.FromArray(s.C.Data, B, H);
                    if (t == at && what == "h") hh.Data[b * H + j] += eps;
                    if (t == at && what == "c")
                    {
                        cc.Data[b * H + j] += eps;                                    // c_t moves, and so does h_t = o_t ⊙ tanh(c_t)
                        hh.Data[b * H + j] = s.O.Data[b * H + j] * Math.Tanh(cc.Data[b * H + j]);
                    }
                    (h, state) = (hh, new LstmState(hh, cc));
                    break;
                case Gru g:
                    h = Tensor.FromArray(g.Cell(0).Step(xs[t], (Tensor?)state).H.Data, B, H);
                    if (t == at && what == "h") h.Data[b * H + j] += eps;
                    state = h;
                    break;
                default:
                    h = Tensor.FromArray(((Rnn)model.Recurrent).Cell(0).Step(xs[t], (Tensor?)state).H.Data, B, H);
                    if (t == at && what == "h") h.Data[b * H + j] += eps;
                    state = h;
                    break;
            }
            hs[t] = h;
        }
        var logits = model.Head.Forward(Tensor.Stack(hs, axis: 0));
        return Tensor.CrossEntropy(logits.Reshape(-1, V), targets).Item();
    }

    private static double FiniteDifferenceNorm(SequenceModel model, Tensor input, int[] targets, string what, int at, int width)
    {
        const double eps = 1e-6;
        double sum = 0;
        for (int b = 0; b < B; b++)
            for (int j = 0; j < width; j++)
            {
                double d = (PerturbedLoss(model, input, targets, what, at, b, j, eps) - PerturbedLoss(model, input, targets, what, at, b, j, -eps)) / (2 * eps);
                sum += d * d;
            }
        return Math.Sqrt(sum);
    }

    [Theory]
    [InlineData(RecurrentKind.RnnTanh)]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Gru)]
    public void Probed_gradient_norms_equal_finite_differences(RecurrentKind kind)
    {
        var rng = new Rng(3);
        var model = new SequenceModel(kind, V, H, V, rng);
        var (input, targets) = Batch(rng);
        var trace = Probe.Run(model, input, targets);
        var layer = trace.Layers[0];
        for (int t = 0; t < T; t++)
        {
            Assert.Equal(FiniteDifferenceNorm(model, input, targets, "h", t, H), layer.HGradNorm![t], 1e-7);
            Assert.Equal(FiniteDifferenceNorm(model, input, targets, "x", t, V), trace.InputGradNorm![t], 1e-7);
            if (kind == RecurrentKind.Lstm) Assert.Equal(FiniteDifferenceNorm(model, input, targets, "c", t, H), layer.CGradNorm![t], 1e-7);
        }
        Assert.True(layer.HGradNorm!.All(n => n > 0));

        // per-parameter norms against central differences of every element
        foreach (var (name, p) in model.NamedParameters())
        {
            double sum = 0;
            for (int k = 0; k < p.Size; k++)
            {
                double v = p.Data[k];
                p.Data[k] = v + 1e-6; double plus = PerturbedLoss(model, input, targets, "none", -1, 0, 0, 0);
                p.Data[k] = v - 1e-6; double minus = PerturbedLoss(model, input, targets, "none", -1, 0, 0, 0);
                p.Data[k] = v;
                sum += Math.Pow((plus - minus) / 2e-6, 2);
            }
            Assert.Equal(Math.Sqrt(sum), trace.ParameterGradNorms!.Single(n => n.Name == name).Norm, 1e-7);
        }
    }

    // ---- the recorder by hand ------------------------------------------------------------------------

    [Fact]
    public void Recorder_fed_by_hand_gives_the_same_trace_as_Probe_Run_on_a_layer()
    {
        var rng = new Rng(4);
        var lstm = new Lstm(3, H, rng);
        var input = Tensor.Uniform(rng, -1, 1, T, B, 3);
        var probed = Probe.Run(lstm, input);

        lstm.ZeroGrad();
        var rec = new TraceRecorder();
        var cell = lstm.Cell(0);
        LstmState? state = null;
        for (int t = 0; t < T; t++)
        {
            var x = rec.Watch(input.Select(0, t));
            var step = cell.Step(x, state);
            rec.Record(step, x);
            state = step.State;
        }
        var loss = state!.H.Sum();
        loss.Backward();
        var byHand = rec.Finish(loss, lstm);

        // forward values bit for bit; gradients up to the order in which the tape adds them
        Assert.Equal(Json(probed with { ParameterGradNorms = null, Layers = [] }), Json(byHand with { ParameterGradNorms = null, Layers = [] }));
        var (lp, lh) = (probed.Layers.Single(), byHand.Layers.Single());
        Assert.Equal(Json(lp with { HGradNorm = null, CGradNorm = null }), Json(lh with { HGradNorm = null, CGradNorm = null }));
        Close(lp.HGradNorm!, lh.HGradNorm!);
        Close(lp.CGradNorm!, lh.CGradNorm!);
        Close(probed.ParameterGradNorms!.Select(n => n.Norm).ToArray(), byHand.ParameterGradNorms!.Select(n => n.Norm).ToArray());
        Assert.Equal(loss.Item(), probed.Loss);
        Assert.Equal(T, probed.InputGradNorm!.Length);
        Assert.True(probed.InputGradNorm.All(n => n > 0));
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    private static string Json<TRecord>(TRecord t) => System.Text.Json.JsonSerializer.Serialize(t);

    [Fact]
    public void Bidirectional_layer_trace_holds_both_directions_in_time_order()
    {
        var rng = new Rng(5);
        var gru = new Gru(3, H, rng, numLayers: 2, bidirectional: true);
        var input = Tensor.Uniform(rng, -1, 1, T, B, 3);
        var trace = Probe.Run(gru, input, y => y.Square().Sum());
        var seq = gru.Forward(input);
        Assert.Equal(4, trace.Layers.Length);
        for (int k = 0; k < 4; k++)
        {
            var lt = trace.Layer(k / 2, reverse: k % 2 == 1);
            for (int t = 0; t < T; t++) Same(seq.Steps[k][t].H, lt.H[t]);
            Assert.True(lt.HGradNorm!.All(n => n > 0));
        }
    }

    [Fact]
    public void Cell_probe_defaults_to_the_sum_of_the_last_hidden_state()
    {
        var rng = new Rng(6);
        var cell = new RnnCell(3, H, rng);
        var input = Tensor.Uniform(rng, -1, 1, T, 1, 3);
        var trace = Probe.Run(cell, input, tokens: ["a", "b", "c", "d", "e", "f"]);
        Assert.Equal(trace.Layers[0].H[T - 1][0].Sum(), trace.Loss!.Value, 1e-15);
        Assert.Equal(Math.Sqrt(H), trace.Layers[0].HGradNorm![T - 1], 1e-15);   // ∂(Σ h_T)/∂h_T = 1 everywhere
        Assert.Empty(trace.Layers[0].Gates);
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], trace.ParameterGradNorms!.Select(n => n.Name));
    }

    // ---- cost of recording ---------------------------------------------------------------------------

    private static long AllocatedBy(Action run)
    {
        // Warm up (JIT, lazily created statics), then the least of several runs: the runtime's own occasional work
        // (tiered recompilation) can only add bytes, never remove the ones the code allocates.
        run(); run();
        long least = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    private static Action ForwardBackward(LstmCell cell, Tensor[] xs, TraceRecorder? rec) => () =>
    {
        LstmState? state = null;
        foreach (var x0 in xs)
        {
            var x = rec is null ? x0 : rec.Watch(x0);
            var step = cell.Step(x, state);
            rec?.Record(step, x);
            state = step.State;
        }
        state!.H.Sum().Backward();
    };

    [Fact]
    public void Recording_off_allocates_nothing_beyond_plain_forward_and_backward()
    {
        var rng = new Rng(7);
        var cell = new LstmCell(3, H, rng);
        var xs = Enumerable.Range(0, 20).Select(_ => Tensor.Uniform(rng, -1, 1, 1, 3)).ToArray();
        long plain = AllocatedBy(ForwardBackward(cell, xs, null));
        long off = AllocatedBy(ForwardBackward(cell, xs, TraceRecorder.Off));
        Assert.True(plain > 0);
        Assert.Equal(plain, off);
    }

    [Fact]
    public void Recording_on_grows_as_T_times_H()
    {
        var rng = new Rng(8);
        var cell = new LstmCell(3, 16, rng);
        long Extra(int steps)
        {
            var xs = Enumerable.Range(0, steps).Select(_ => Tensor.Uniform(rng, -1, 1, 1, 3)).ToArray();
            long plain = AllocatedBy(ForwardBackward(cell, xs, null));
            long on = AllocatedBy(() => { var rec = new TraceRecorder(); ForwardBackward(cell, xs, rec)(); rec.Finish(); });
            return on - plain;
        }
        long e50 = Extra(50), e100 = Extra(100);
        double ratio = (double)e100 / e50;
        Assert.InRange(ratio, 1.8, 2.2);
        // at least the recorded values themselves: h, c and four gates of H doubles per step
        Assert.True(e100 > 100 * 6 * 16 * sizeof(double), $"recording 100 steps added only {e100} bytes");
    }

    // ---- misuse --------------------------------------------------------------------------------------

    [Fact]
    public void Misuse_gives_clear_errors()
    {
        var rng = new Rng(9);
        var cell = new GruCell(2, 3, rng);
        var rec = new TraceRecorder(["a"]);
        var step = cell.Step(Tensor.Ones(1, 2));
        rec.Record(step);
        var e = Assert.Throws<RnnLabException>(() => rec.Finish(step.H.Sum()));
        Assert.Contains("Backward()", e.Message);
        Assert.Contains("nothing was recorded", Assert.Throws<RnnLabException>(() => new TraceRecorder().Finish()).Message);
        Assert.Contains("recording is off", Assert.Throws<RnnLabException>(() => TraceRecorder.Off.Finish()).Message);
        var lstmStep = new LstmCell(2, 3, rng).Step(Tensor.Ones(1, 2));
        Assert.Contains("Gru steps", Assert.Throws<RnnLabException>(() => rec.Record(lstmStep)).Message);
        var two = new TraceRecorder(["a", "b"]);
        two.Record(step);
        Assert.Contains("2 token labels", Assert.Throws<RnnLabException>(() => two.Finish()).Message);

        var model = new SequenceModel(RecurrentKind.RnnTanh, V, H, V, rng);
        Assert.Contains("[T, B, 5]", Assert.Throws<RnnLabException>(() => Probe.Run(model, Tensor.Zeros(3, 1, 4), [0, 0, 0])).Message);
        Assert.Contains("T·B = 3", Assert.Throws<RnnLabException>(() => Probe.Run(model, Tensor.Zeros(3, 1, 5), [0, 0])).Message);
        Assert.Contains("scalar", Assert.Throws<RnnLabException>(() => Probe.Run(new RnnCell(2, 3, rng), Tensor.Zeros(3, 1, 2), y => y)).Message);
    }
}
