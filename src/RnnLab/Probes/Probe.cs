using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;

namespace RnnLab.Probes;

/// <summary>
/// One-line probes: run a model, layer or cell forward and backward once and return the <see cref="Trace"/> of
/// everything that happened (hidden states, gates, outputs, and the gradient norms after backward).
/// <code>var trace = Probe.Run(model, input, targets);</code>
/// Each probe clears the parameters' gradients first and leaves the probe's gradients in them (like one training
/// step without the update). The numbers are the model's own: the probe feeds the model's step records to a
/// <see cref="TraceRecorder"/>, which is also what you use when stepping a cell by hand.
/// </summary>
public static class Probe
{
    // ---- the standard model: recurrent layer + head ------------------------------------------------

    /// <summary>
    /// Probes a <see cref="SequenceModel"/> (e.g. a character model: one-hot input, next-symbol scores) on
    /// <paramref name="input"/> [T, B, I] with class <paramref name="targets"/> [T·B] (time-major: position t·B + b).
    /// L = mean cross-entropy over all steps; the trace also holds the logits, probabilities and per-step loss.
    /// </summary>
    public static Trace Run(SequenceModel model, Tensor input, int[] targets, IReadOnlyList<string>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        int steps = CheckModelInput(model, input), batch = input.Shape[1];
        if (targets.Length != steps * batch)
            throw new RnnLabException($"Probe.Run: {targets.Length} targets were given for input {Tensor.ShapeString(input.Shape)}; give T·B = {steps * batch} (time-major)");
        return RunModel(model, input, tokens, isLogits: true, targets,
                        output => Tensor.CrossEntropy(output.Reshape(steps * batch, model.OutputSize), targets));
    }

    /// <summary>
    /// Probes a <see cref="SequenceModel"/> used for regression: L = mean squared error between the outputs [T, B, O]
    /// and <paramref name="target"/> [T, B, O].
    /// </summary>
    public static Trace Run(SequenceModel model, Tensor input, Tensor target, IReadOnlyList<string>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        int steps = CheckModelInput(model, input);
        if (target.Rank != 3 || target.Shape[0] != steps || target.Shape[1] != input.Shape[1] || target.Shape[2] != model.OutputSize)
            throw new RnnLabException($"Probe.Run: expected target [{steps}, {input.Shape[1]}, {model.OutputSize}] (T, B, O), got {Tensor.ShapeString(target.Shape)}");
        return RunModel(model, input, tokens, isLogits: false, null, output => Tensor.MseLoss(output, target));
    }

    /// <summary>
    /// Probes a character model (a <see cref="SequenceModel"/> with input and output size V = the vocabulary size) on a
    /// text: it reads text[0 … n−2] one-hot and predicts text[1 … n−1]; the token labels are the characters read.
    /// </summary>
    public static Trace Run(SequenceModel model, string text, CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (text.Length < 2) throw new RnnLabException($"Probe.Run: the text needs at least 2 characters (one to read, one to predict), got {text.Length}");
        if (vocabulary.Size != model.InputSize || vocabulary.Size != model.OutputSize)
            throw new RnnLabException($"Probe.Run: the vocabulary has {vocabulary.Size} symbols but the model reads {model.InputSize} and predicts {model.OutputSize}; a character model has both equal to the vocabulary size");
        int[] ids = vocabulary.Encode(text);
        var tokens = text[..^1].Select(ch => ch.ToString()).ToArray();
        var input = Tensor.OneHot(ids[..^1], vocabulary.Size).Reshape(ids.Length - 1, 1, vocabulary.Size);   // [T, 1, V]
        return Run(model, input, ids[1..], tokens);
    }

    private static int CheckModelInput(SequenceModel model, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != model.InputSize || input.Shape[0] < 1 || input.Shape[1] < 1)
            throw new RnnLabException($"Probe.Run: expected input [T, B, {model.InputSize}] for this model, got {Tensor.ShapeString(input.Shape)}");
        return input.Shape[0];
    }

    private static Trace RunModel(SequenceModel model, Tensor input, IReadOnlyList<string>? tokens, bool isLogits, int[]? targets,
                                  Func<Tensor, Tensor> loss)
    {
        using var gradOn = GradMode.EnterGradEnabled();
        var rec = new TraceRecorder(tokens);
        var (xs, watched) = WatchSteps(rec, input, timeAxis: 0);
        model.ZeroGrad();
        var hidden = model.Recurrent switch                                      // [T, B, H]
        {
            Rnn r => RecordLayer<Tensor, RnnStep>(rec, r.Forward(watched), xs, r.NumDirections),
            Lstm l => RecordLayer<LstmState, LstmStep>(rec, l.Forward(watched), xs, l.NumDirections),
            Gru g => RecordLayer<Tensor, GruStep>(rec, g.Forward(watched), xs, g.NumDirections),
            _ => throw new RnnLabException($"Probe.Run: unexpected recurrent layer {model.Recurrent.GetType().Name}"),
        };
        var output = model.Head.Forward(hidden);                                  // [T, B, O]
        using (Tensor.NoGrad())
            for (int t = 0; t < xs.Length; t++) rec.RecordOutput(output.Select(0, t), isLogits);   // [B, O] each
        var value = loss(output);
        BackwardScalar(value);
        return rec.Finish(value, model, targets);
    }

    // ---- bare sequence layers ------------------------------------------------------------------

    /// <summary>
    /// Probes an <see cref="Rnn"/> layer on <paramref name="input"/> [T, B, I] (or [B, T, I] with batchFirst).
    /// <paramref name="loss"/> maps the layer's output [T, B, D·H] to a scalar; by default L = Σ h_T, the sum of the
    /// last step's output (the gradient probe of DESIGN.md's W3).
    /// </summary>
    public static Trace Run(Rnn layer, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunLayer(layer, layer.BatchFirst, input, loss, tokens, (rec, x, xs) => RecordLayer<Tensor, RnnStep>(rec, layer.Forward(x), xs, layer.NumDirections));

    /// <summary>Probes an <see cref="Lstm"/> layer; see <see cref="Run(Rnn, Tensor, Func{Tensor, Tensor}?, IReadOnlyList{string}?)"/>.</summary>
    public static Trace Run(Lstm layer, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunLayer(layer, layer.BatchFirst, input, loss, tokens, (rec, x, xs) => RecordLayer<LstmState, LstmStep>(rec, layer.Forward(x), xs, layer.NumDirections));

    /// <summary>Probes a <see cref="Gru"/> layer; see <see cref="Run(Rnn, Tensor, Func{Tensor, Tensor}?, IReadOnlyList{string}?)"/>.</summary>
    public static Trace Run(Gru layer, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunLayer(layer, layer.BatchFirst, input, loss, tokens, (rec, x, xs) => RecordLayer<Tensor, GruStep>(rec, layer.Forward(x), xs, layer.NumDirections));

    // ---- bare cells, stepped by hand ---------------------------------------------------------

    /// <summary>
    /// Probes an <see cref="RnnCell"/> stepped over <paramref name="input"/> [T, B, I] from a zero state.
    /// <paramref name="loss"/> maps the stacked hidden states [T, B, H] to a scalar; by default L = Σ h_T.
    /// </summary>
    public static Trace Run(RnnCell cell, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunCell<Tensor, RnnStep>(cell, cell, input, loss, tokens);

    /// <summary>Probes an <see cref="LstmCell"/>; see <see cref="Run(RnnCell, Tensor, Func{Tensor, Tensor}?, IReadOnlyList{string}?)"/>.</summary>
    public static Trace Run(LstmCell cell, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunCell<LstmState, LstmStep>(cell, cell, input, loss, tokens);

    /// <summary>Probes a <see cref="GruCell"/>; see <see cref="Run(RnnCell, Tensor, Func{Tensor, Tensor}?, IReadOnlyList{string}?)"/>.</summary>
    public static Trace Run(GruCell cell, Tensor input, Func<Tensor, Tensor>? loss = null, IReadOnlyList<string>? tokens = null) =>
        RunCell<Tensor, GruStep>(cell, cell, input, loss, tokens);

    // ---- the machinery ---------------------------------------------------------------------------

    private static Trace RunLayer(Module layer, bool batchFirst, Tensor input, Func<Tensor, Tensor>? loss, IReadOnlyList<string>? tokens,
                                  Func<TraceRecorder, Tensor, Tensor[], Tensor> forward)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3)
            throw new RnnLabException($"Probe.Run: expected input {(batchFirst ? "[B, T, I] (batchFirst)" : "[T, B, I]")}, got {Tensor.ShapeString(input.Shape)}");
        int timeAxis = batchFirst ? 1 : 0;
        using var gradOn = GradMode.EnterGradEnabled();
        var rec = new TraceRecorder(tokens);
        var (xs, watched) = WatchSteps(rec, input, timeAxis);
        layer.ZeroGrad();
        var output = forward(rec, watched, xs);                                  // [T, B, D·H] (or batch-first)
        var l = loss?.Invoke(output) ?? output.Select(timeAxis, output.Shape[timeAxis] - 1).Sum();
        BackwardScalar(l);
        return rec.Finish(l, layer);
    }

    private static Trace RunCell<TState, TStep>(IRecurrentCell<TState, TStep> cell, RecurrentCell module, Tensor input,
                                                Func<Tensor, Tensor>? loss, IReadOnlyList<string>? tokens)
        where TState : class where TStep : ICellStep<TState>
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != module.InputSize)
            throw new RnnLabException($"Probe.Run: expected input [T, B, {module.InputSize}] for this cell, got {Tensor.ShapeString(input.Shape)}");
        using var gradOn = GradMode.EnterGradEnabled();
        var rec = new TraceRecorder(tokens);
        module.ZeroGrad();
        TState? state = null;
        var hs = new Tensor[input.Shape[0]];
        for (int t = 0; t < hs.Length; t++)
        {
            var x = rec.Watch(input.Select(0, t));                                // [B, I]
            var step = cell.Step(x, state);
            rec.Record(step, x);
            hs[t] = step.H;                                                        // [B, H]
            state = step.State;
        }
        var l = loss?.Invoke(Tensor.Stack(hs, axis: 0)) ?? hs[^1].Sum();
        BackwardScalar(l);
        return rec.Finish(l, module);
    }

    // x_t for every step as a tensor that collects ∂L/∂x_t, and all of them stacked back into the input's layout.
    private static (Tensor[] Steps, Tensor Stacked) WatchSteps(TraceRecorder rec, Tensor input, int timeAxis)
    {
        var xs = new Tensor[input.Shape[timeAxis]];
        if (xs.Length == 0) throw new RnnLabException($"Probe.Run: the input {Tensor.ShapeString(input.Shape)} has no time steps");
        for (int t = 0; t < xs.Length; t++) xs[t] = rec.Watch(input.Select(timeAxis, t));   // [B, I]
        return (xs, Tensor.Stack(xs, axis: timeAxis));
    }

    // Feeds a sequence layer's step records to the recorder (the reverse direction from the last step back, as it ran).
    private static Tensor RecordLayer<TState, TStep>(TraceRecorder rec, SequenceOutput<TStep> seq, Tensor[] xs, int directions)
        where TStep : ICellStep<TState>
    {
        for (int k = 0; k < seq.Steps.Count; k++)
        {
            int layer = k / directions, steps = seq.Steps[k].Count;
            bool reverse = k % directions == 1;
            for (int i = 0; i < steps; i++)
            {
                int t = reverse ? steps - 1 - i : i;
                rec.Record(seq.Steps[k][t], layer == 0 ? xs[t] : null, layer, reverse);
            }
        }
        return seq.Output;
    }

    private static void BackwardScalar(Tensor loss)
    {
        if (loss.Size != 1)
            throw new RnnLabException($"Probe.Run: the loss function must return one number (a scalar), got shape {Tensor.ShapeString(loss.Shape)}; reduce it with Sum() or Mean()");
        loss.Backward();
    }
}
