using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Probes;

/// <summary>
/// Collects a <see cref="Trace"/> while you step a cell by hand. Feed it each step's record, run backward, then
/// <see cref="Finish"/>:
/// <code>
/// var rec = new TraceRecorder(tokens);
/// LstmState? state = null;
/// for (int t = 0; t &lt; T; t++)
/// {
///     var x = rec.Watch(xs[t]);            // [B, I]; lets the trace report ‖∂L/∂x_t‖
///     var step = cell.Step(x, state);
///     rec.Record(step, x);
///     state = step.State;
/// }
/// var loss = state!.H.Sum();
/// loss.Backward();
/// Trace trace = rec.Finish(loss, cell);
/// </code>
/// <see cref="Probe.Run(SequenceModel, Tensor, int[], IReadOnlyList{string}?)"/> does exactly this for a whole model.
/// <para>
/// Recording is opt-in. <see cref="Off"/> is a recorder whose methods return at once and allocate nothing, so a training
/// loop can call them unconditionally. When on, the recorder keeps a reference to every step's tensors and copies
/// their values at <see cref="Finish"/>: memory grows as T × H (times the number of gates).
/// </para>
/// </summary>
public sealed class TraceRecorder
{
    /// <summary>A recorder that records nothing (recording off).</summary>
    public static TraceRecorder Off { get; } = new(enabled: false);

    public bool Enabled { get; }

    private readonly string[]? _tokens;
    private readonly SortedDictionary<(int Layer, bool Reverse), List<Recorded>> _layers = new();
    private readonly List<Tensor> _outputs = [];
    private bool _outputsAreLogits;
    private CellKind? _kind;

    // One step as the tape produced it: the input (layer 0 only), h, c and the gates.
    private sealed record Recorded(Tensor? X, Tensor H, Tensor? C, (string Name, Tensor Value)[] Gates);

    /// <summary>A recorder that is on. <paramref name="tokens"/>: an optional label per time step, for charts.</summary>
    public TraceRecorder(IReadOnlyList<string>? tokens = null) : this(enabled: true) => _tokens = tokens?.ToArray();

    private TraceRecorder(bool enabled) => Enabled = enabled;

    /// <summary>
    /// A copy of the input x that collects ∂L/∂x (for the saliency ‖∂L/∂x_t‖); x itself when x already requires
    /// gradients or recording is off. Use it only on inputs (leaves): a copy cuts the tape behind it.
    /// </summary>
    public Tensor Watch(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!Enabled || x.RequiresGrad) return x;
        return new Tensor(x.Data, x.Shape) { RequiresGrad = true, Name = x.Name };
    }

    /// <summary>
    /// Records one step of a cell. Give <paramref name="x"/> (the step's input, [B, I]) for layer 0 to have it and its
    /// saliency in the trace. Feed the steps of a layer in the order you compute them; for the reverse direction of a
    /// bidirectional layer that is from the last time step back, and the trace stores them in time order.
    /// </summary>
    public void Record<TState>(ICellStep<TState> step, Tensor? x = null, int layer = 0, bool reverse = false)
    {
        if (!Enabled) return;
        ArgumentNullException.ThrowIfNull(step);
        if (layer < 0) throw new RnnLabException($"TraceRecorder.Record: layer must be 0 or more, got {layer}");
        var (kind, c, gates) = Internals(step);
        if (_kind is { } k && k != kind)
            throw new RnnLabException($"TraceRecorder.Record: this recorder holds {k} steps; it cannot also record a {kind} step. Use one recorder per model.");
        _kind = kind;
        if (!_layers.TryGetValue((layer, reverse), out var list)) _layers[(layer, reverse)] = list = [];
        if (list.Count > 0 && !list[0].H.Shape.AsSpan().SequenceEqual(step.H.Shape))
            throw new RnnLabException($"TraceRecorder.Record: h has shape {Tensor.ShapeString(step.H.Shape)} but earlier steps of layer {layer} had {Tensor.ShapeString(list[0].H.Shape)}");
        list.Add(new Recorded(layer == 0 && !reverse ? x : null, step.H, c, gates));
    }

    /// <summary>Records the model's output at one step ([B, O], in time order); logits also give probabilities.</summary>
    public void RecordOutput(Tensor output, bool isLogits = true)
    {
        if (!Enabled) return;
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 2) throw new RnnLabException($"TraceRecorder.RecordOutput: expected one step's output [B, O], got {Tensor.ShapeString(output.Shape)}");
        _outputs.Add(output);
        _outputsAreLogits = isLogits;
    }

    /// <summary>
    /// Builds the trace. Call it after <c>loss.Backward()</c> to get the gradient norms (or with no loss for a
    /// forward-only trace). <paramref name="model"/> gives per-parameter gradient norms; <paramref name="targets"/>
    /// ([T·B], time-major: position t·B + b) gives the per-step loss from the recorded logits.
    /// </summary>
    public Trace Finish(Tensor? loss = null, Module? model = null, int[]? targets = null)
    {
        if (!Enabled) throw new RnnLabException("TraceRecorder.Finish: recording is off (TraceRecorder.Off); create a recorder with new TraceRecorder() to record");
        if (_layers.Count == 0 || _kind is null) throw new RnnLabException("TraceRecorder.Finish: nothing was recorded; call Record(step) after each cell step");
        var first = _layers.First().Value;
        int steps = first.Count, batch = first[0].H.Shape[0], hidden = first[0].H.Shape[1];
        foreach (var ((layer, reverse), list) in _layers)
            if (list.Count != steps)
                throw new RnnLabException($"TraceRecorder.Finish: layer {layer}{(reverse ? " reverse" : "")} has {list.Count} steps but layer {_layers.First().Key.Layer} has {steps}; record every step of every layer");
        if (_tokens is not null && _tokens.Length != steps)
            throw new RnnLabException($"TraceRecorder.Finish: {_tokens.Length} token labels were given for {steps} steps");
        if (_outputs.Count != 0 && _outputs.Count != steps)
            throw new RnnLabException($"TraceRecorder.Finish: {_outputs.Count} outputs were recorded for {steps} steps");
        bool withGrad = loss is not null;
        if (withGrad && _layers.Values.All(l => l.All(r => r.H.Grad is null)))
            throw new RnnLabException("TraceRecorder.Finish: no gradient reached any recorded h_t. Call loss.Backward() before Finish(loss), " +
                                      "and make sure the loss is computed from the recorded steps.");

        var layers = _layers.Select(kv =>
        {
            var list = kv.Key.Reverse ? Enumerable.Reverse(kv.Value).ToList() : kv.Value;
            var gateNames = list[0].Gates.Select(g => g.Name).ToArray();
            return new LayerTrace(
                kv.Key.Layer, kv.Key.Reverse,
                H: list.Select(r => Rows(r.H)).ToArray(),
                C: list[0].C is null ? null : list.Select(r => Rows(r.C!)).ToArray(),
                Gates: gateNames.Select((name, gi) => new GateTrace(name, list.Select(r => Rows(r.Gates[gi].Value)).ToArray())).ToArray(),
                HGradNorm: withGrad ? list.Select(r => GradNorm(r.H)).ToArray() : null,
                CGradNorm: withGrad && list[0].C is not null ? list.Select(r => GradNorm(r.C!)).ToArray() : null);
        }).ToArray();

        var inputs = first.All(r => r.X is not null) && _layers.First().Key == (0, false) ? first.Select(r => r.X!).ToList() : null;
        double[][][]? output = _outputs.Count == 0 ? null : _outputs.Select(Rows).ToArray();
        double[][][]? probs = output is null || !_outputsAreLogits ? null : output.Select(s => s.Select(Softmax).ToArray()).ToArray();
        int[][]? targetGrid = null;
        double[]? stepLoss = null;
        if (targets is not null)
        {
            if (targets.Length != steps * batch)
                throw new RnnLabException($"TraceRecorder.Finish: {targets.Length} targets were given for {steps} steps × {batch} sequences; give T·B targets, time-major");
            targetGrid = Enumerable.Range(0, steps).Select(t => targets.AsSpan(t * batch, batch).ToArray()).ToArray();
            if (probs is not null) stepLoss = StepLoss(output!, targetGrid);
        }

        return new Trace(
            _kind.Value, steps, batch,
            InputSize: inputs?[0].Shape[1] ?? 0,
            HiddenSize: hidden,
            Tokens: _tokens,
            Input: inputs?.Select(Rows).ToArray(),
            Layers: layers,
            Output: output,
            Probabilities: probs,
            Targets: targetGrid,
            StepLoss: stepLoss,
            Loss: loss?.Item(),
            InputGradNorm: withGrad && inputs is not null && inputs.All(x => x.RequiresGrad) ? inputs.Select(GradNorm).ToArray() : null,
            ParameterGradNorms: withGrad && model is not null
                ? model.NamedParameters().Select(p => new NamedNorm(p.Name, Norm(p.Value.Grad))).ToArray() : null);
    }

    // The kind of cell and the internals of its step record (gate order as PyTorch's).
    private static (CellKind Kind, Tensor? C, (string, Tensor)[] Gates) Internals<TState>(ICellStep<TState> step) => step switch
    {
        LstmStep s => (CellKind.Lstm, s.C, [("i", s.I), ("f", s.F), ("g", s.G), ("o", s.O)]),
        GruStep s => (CellKind.Gru, null, [("r", s.R), ("z", s.Z), ("n", s.N)]),
        RnnStep => (CellKind.Rnn, null, []),
        _ => throw new RnnLabException($"TraceRecorder.Record: unknown step record {step.GetType().Name}; expected RnnStep, LstmStep or GruStep"),
    };

    // A [B, F] tensor as B rows of F values.
    private static double[][] Rows(Tensor x)
    {
        int b = x.Shape[0], f = x.Shape[1];
        var rows = new double[b][];
        for (int i = 0; i < b; i++) rows[i] = x.Data.AsSpan(i * f, f).ToArray();
        return rows;
    }

    private static double GradNorm(Tensor x) => Norm(x.Grad);

    /// <summary>‖v‖₂, with no gradient (null) counting as zero.</summary>
    internal static double Norm(double[]? v)
    {
        if (v is null) return 0;
        double s = 0;
        foreach (double e in v) s += e * e;
        return Math.Sqrt(s);
    }

    // p_k = e^{z_k − max z} / Σ_j e^{z_j − max z}
    private static double[] Softmax(double[] z)
    {
        double max = z.Max(), sum = 0;
        var p = new double[z.Length];
        for (int k = 0; k < z.Length; k++) sum += p[k] = Math.Exp(z[k] - max);
        for (int k = 0; k < z.Length; k++) p[k] /= sum;
        return p;
    }

    // loss_t = (1/B) Σ_b −log p_t[b][target] = (1/B) Σ_b (log Σ_k e^{z_k} − z_target), computed from the logits z (stable)
    private static double[] StepLoss(double[][][] logits, int[][] targets)
    {
        var loss = new double[logits.Length];
        for (int t = 0; t < logits.Length; t++)
        {
            for (int b = 0; b < targets[t].Length; b++)
            {
                var z = logits[t][b];
                int k = targets[t][b];
                if ((uint)k >= (uint)z.Length)
                    throw new RnnLabException($"TraceRecorder.Finish: target {k} at step {t}, sequence {b} is not a class index in 0 … {z.Length - 1}");
                double max = z.Max(), sum = 0;
                foreach (double v in z) sum += Math.Exp(v - max);
                loss[t] += max + Math.Log(sum) - z[k];
            }
            loss[t] /= targets[t].Length;
        }
        return loss;
    }
}
