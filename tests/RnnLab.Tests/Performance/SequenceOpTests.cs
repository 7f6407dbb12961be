using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Tests.Autodiff;

using static RnnLab.Tests.Performance.ThreadCount;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The fused whole-sequence ops behind the sequence layers (one tape node per layer and direction) against the same
/// computation stepped by hand with the cells' <c>Step</c>: outputs, h_n, c_n and every step record's values the same
/// bits; every gradient (parameters, input, h0, c0, and each step's h, c and used gates) equal to 1e-12; the same bits on
/// 1, 2 and 3 threads; step records read before or after Backward(); a retained graph run twice; NoGrad; anomaly mode;
/// and central-difference gradient checks of the op itself.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public sealed class SequenceOpTests
{
    /// <summary>What the tests need to know about one kind of layer.</summary>
    private sealed record Kind<TCell, TState, TStep>(
        Func<int, int, int, bool, bool, Rng, RecurrentLayer<TCell, TState, TStep>> Make,   // (inputs, hidden, layers, bidirectional, batchFirst)
        Func<RecurrentLayer<TCell, TState, TStep>, Tensor, Tensor?, Tensor?, SequenceOutput<TStep>> Forward,   // (x, h0, c0)
        Func<Tensor?, Tensor?, int, TState?> Initial,   // the state the layer starts cell k from, given h0, c0
        Func<TState, Tensor[]> StateParts,              // h (and c): what HN (and CN) stack
        Func<TStep, Tensor[]> StepTensors,              // every tensor of a step record, state quantities first
        int StateCount,                                 // how many of them have a total gradient (the rest are gates)
        bool HasCellState = false)
        where TCell : RecurrentCell, IRecurrentCell<TState, TStep> where TState : class where TStep : class, ICellStep<TState>;

    private static readonly Kind<LstmCell, LstmState, LstmStep> LstmKind = new(
        (i, h, l, bi, bf, rng) => new Lstm(i, h, rng, l, bi, bf),
        (layer, x, h0, c0) => ((Lstm)layer).Forward(x, h0, c0),
        (h0, c0, k) => h0 is null && c0 is null ? null
            : new LstmState(h0?.Select(0, k) ?? Tensor.Zeros(c0!.Shape[1..]), c0?.Select(0, k) ?? Tensor.Zeros(h0!.Shape[1..])),
        s => [s.H, s.C],
        s => [s.H, s.C, s.I, s.F, s.G, s.O],
        StateCount: 2, HasCellState: true);

    private static readonly Kind<GruCell, Tensor, GruStep> GruKind = new(
        (i, h, l, bi, bf, rng) => new Gru(i, h, rng, l, bi, bf),
        (layer, x, h0, _) => ((Gru)layer).Forward(x, h0),
        (h0, _, k) => h0?.Select(0, k),
        h => [h],
        s => [s.H, s.R, s.Z, s.N],
        StateCount: 1);

    private static Kind<RnnCell, Tensor, RnnStep> RnnKind(Nonlinearity nonlinearity) => new(
        (i, h, l, bi, bf, rng) => new Rnn(i, h, rng, l, nonlinearity, bi, bf),
        (layer, x, h0, _) => ((Rnn)layer).Forward(x, h0),
        (h0, _, k) => h0?.Select(0, k),
        h => [h],
        s => [s.H, s.PreActivation],
        StateCount: 2);

    /// <summary>One configuration: sizes, layout, initial states, and what the loss covers.</summary>
    public sealed record Setup(int Batch, int Steps, int Inputs, int Hidden, int Layers = 1, bool Bidirectional = false,
                               bool BatchFirst = false, bool WithState = false, bool OneHot = false, bool InputGrad = true,
                               bool RetainTwice = false);

    /// <summary>Values (to hold equal bit for bit) and gradients (to 1e-12; a gradient nobody computed is an empty array).</summary>
    private sealed record Result(List<double[]> Values, List<double[]> Gradients);

    // One run, through the layer or by hand: a random weighted sum of the output, h_n (and c_n), a middle step's h of the
    // first cell and the first gate of the last cell's step 1 (both read before Backward()), then Backward (twice with a
    // retained graph if asked). Then every value and gradient, every step record read afterwards.
    private static Result Run<TCell, TState, TStep>(Kind<TCell, TState, TStep> kind, Setup c, bool byHand)
        where TCell : RecurrentCell, IRecurrentCell<TState, TStep> where TState : class where TStep : class, ICellStep<TState>
    {
        var rng = new Rng(17);
        var layer = kind.Make(c.Inputs, c.Hidden, c.Layers, c.Bidirectional, c.BatchFirst, rng);
        int d = c.Bidirectional ? 2 : 1;
        int[] shape = c.BatchFirst ? [c.Batch, c.Steps, c.Inputs] : [c.Steps, c.Batch, c.Inputs];
        var values = c.OneHot
            ? Tensor.OneHot(Enumerable.Range(0, c.Batch * c.Steps).Select(_ => rng.NextInt(c.Inputs)).ToArray(), c.Inputs).Reshape(shape)
            : Tensor.Normal(rng, 0, 1, shape);
        var x = c.InputGrad ? Tensor.Parameter(values, "x") : values;
        var h0 = c.WithState ? Tensor.Parameter(Tensor.Normal(rng, 0, 1, c.Layers * d, c.Batch, c.Hidden), "h0") : null;
        var c0 = c.WithState && kind.HasCellState ? Tensor.Parameter(Tensor.Normal(rng, 0, 1, c.Layers * d, c.Batch, c.Hidden), "c0") : null;

        Tensor output;
        Tensor[] finals;
        IReadOnlyList<TStep>[] steps;
        if (byHand) (output, finals, steps) = ByHand(kind, layer, x, c.BatchFirst, c.Layers, d, h0, c0);
        else
        {
            var y = kind.Forward(layer, x, h0, c0);
            (output, finals, steps) = (y.Output, y.CN is null ? [y.HN] : [y.HN, y.CN], y.Steps.ToArray());
        }

        var w = new Rng(5);
        Tensor Weighted(Tensor t) => (t * Tensor.Uniform(w, -1, 1, t.Shape)).Sum();
        var loss = Weighted(output);
        foreach (var f in finals) loss = loss + Weighted(f);
        loss = loss + Weighted(kind.StepTensors(steps[0][c.Steps / 2])[0]);             // h of a middle step
        var late = kind.StepTensors(steps[^1][1]);
        if (late.Length > kind.StateCount) loss = loss + Weighted(late[kind.StateCount]);   // a gate
        loss.Backward(retainGraph: c.RetainTwice);
        if (c.RetainTwice) loss.Backward();

        var result = new Result([output.Data, .. finals.Select(f => f.Data)], [.. layer.Parameters().Select(p => p.Grad!)]);
        if (c.InputGrad) result.Gradients.Add(x.Grad!);
        if (h0 is not null) result.Gradients.Add(h0.Grad!);
        if (c0 is not null) result.Gradients.Add(c0.Grad!);
        foreach (var cell in steps)
            foreach (var step in cell)
                foreach (var t in kind.StepTensors(step))
                {
                    result.Values.Add(t.Data);
                    result.Gradients.Add(t.Grad ?? []);
                }
        return result;
    }

    // The layer's computation with the cells' Step: each layer's cells over time, the directions concatenated for the
    // next layer, the final states stacked.
    private static (Tensor Output, Tensor[] Finals, IReadOnlyList<TStep>[] Steps) ByHand<TCell, TState, TStep>(
        Kind<TCell, TState, TStep> kind, RecurrentLayer<TCell, TState, TStep> layer, Tensor x, bool batchFirst, int layers, int d, Tensor? h0, Tensor? c0)
        where TCell : RecurrentCell, IRecurrentCell<TState, TStep> where TState : class where TStep : class, ICellStep<TState>
    {
        int axis = batchFirst ? 1 : 0, steps = x.Shape[axis];
        var input = x;
        var finals = new List<TState>();
        var records = new IReadOnlyList<TStep>[layers * d];
        for (int l = 0; l < layers; l++)
        {
            var outputs = new Tensor[d];
            for (int dir = 0; dir < d; dir++)
            {
                int k = l * d + dir;
                var state = kind.Initial(h0, c0, k);
                var record = new TStep[steps];
                var hs = new Tensor[steps];
                for (int i = 0; i < steps; i++)
                {
                    int t = dir == 0 ? i : steps - 1 - i;
                    var s = layer.Cells[k].Step(input.Select(axis, t), state);
                    (record[t], hs[t], state) = (s, s.H, s.State);
                }
                finals.Add(state!);
                records[k] = record;
                outputs[dir] = Tensor.Stack(hs, axis);
            }
            input = d == 1 ? outputs[0] : Tensor.Concat(outputs, axis: 2);
        }
        int parts = kind.StateParts(finals[0]).Length;
        var stacked = Enumerable.Range(0, parts).Select(p => Tensor.Stack(finals.Select(f => kind.StateParts(f)[p]).ToArray(), axis: 0)).ToArray();
        return (input, stacked, records);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} values expected, {actual.Length} found (empty: no gradient)");
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])),
                        $"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R}");
    }

    /// <summary>The layer against its cells stepped by hand (on 2 threads, so batches of 8 or more are split).</summary>
    private static void AssertLayerEqualsCells<TCell, TState, TStep>(Kind<TCell, TState, TStep> kind, Setup setup)
        where TCell : RecurrentCell, IRecurrentCell<TState, TStep> where TState : class where TStep : class, ICellStep<TState>
    {
        var (cells, layer) = WithThreads(2, () => (Run(kind, setup, byHand: true), Run(kind, setup, byHand: false)));
        Assert.Equal(cells.Values.Count, layer.Values.Count);
        for (int k = 0; k < cells.Values.Count; k++) Assert.Equal(cells.Values[k], layer.Values[k]);   // the same bits
        Assert.Equal(cells.Gradients.Count, layer.Gradients.Count);
        for (int k = 0; k < cells.Gradients.Count; k++) AssertClose(cells.Gradients[k], layer.Gradients[k], $"gradient {k}");
    }

    /// <summary>The layer on 1, 2 and 3 threads: every value and gradient the same bits.</summary>
    private static void AssertSameOnAnyThreadCount<TCell, TState, TStep>(Kind<TCell, TState, TStep> kind, Setup setup)
        where TCell : RecurrentCell, IRecurrentCell<TState, TStep> where TState : class where TStep : class, ICellStep<TState>
    {
        var one = WithThreads(1, () => Run(kind, setup, byHand: false));
        foreach (int threads in new[] { 2, 3 })
        {
            var other = WithThreads(threads, () => Run(kind, setup, byHand: false));
            Assert.Equal(one.Values, other.Values);
            Assert.Equal(one.Gradients, other.Gradients);
        }
    }

    // 2 layers × 2 directions, batch first, given initial states, big enough that the batch is split in 2.
    private static readonly Setup StackedSetup = new(Batch: 9, Steps: 8, Inputs: 4, Hidden: 16, Layers: 2, Bidirectional: true, BatchFirst: true, WithState: true);

    public static TheoryData<Setup> Setups =>
    [
        new(Batch: 1, Steps: 4, Inputs: 3, Hidden: 5),                                                       // batch 1: the small kernels
        new(Batch: 3, Steps: 6, Inputs: 2, Hidden: 3, Layers: 2, WithState: true),                           // fewer than 4 rows: x W_ihᵀ per step
        StackedSetup,
        new(Batch: 6, Steps: 5, Inputs: 11, Hidden: 7, BatchFirst: true, OneHot: true, InputGrad: false),    // one-hot: row gathers
        new(Batch: 4, Steps: 4, Inputs: 3, Hidden: 4, InputGrad: false, RetainTwice: true),                 // backward twice
    ];

    [Theory]
    [MemberData(nameof(Setups))]
    public void Lstm_layer_equals_its_cells_stepped_by_hand(Setup setup) => AssertLayerEqualsCells(LstmKind, setup);

    [Fact]
    public void Lstm_layer_gives_the_same_bits_on_one_two_and_three_threads() =>
        AssertSameOnAnyThreadCount(LstmKind, SplitSetup);

    // Big enough that the batch rows are split over 2 and 3 threads (chunks of 4 and 6 rows: 3 chunks of 3 or 4 rows would change the sums).
    private static readonly Setup SplitSetup = new(Batch: 10, Steps: 8, Inputs: 5, Hidden: 16, Layers: 2, Bidirectional: true, BatchFirst: true, WithState: true);

    [Theory]
    [MemberData(nameof(Setups))]
    public void Gru_layer_equals_its_cells_stepped_by_hand(Setup setup) => AssertLayerEqualsCells(GruKind, setup);

    [Fact]
    public void Gru_layer_gives_the_same_bits_on_one_two_and_three_threads() => AssertSameOnAnyThreadCount(GruKind, SplitSetup);

    [Theory]
    [MemberData(nameof(Setups))]
    public void Rnn_layer_equals_its_cells_stepped_by_hand(Setup setup) => AssertLayerEqualsCells(RnnKind(Nonlinearity.Tanh), setup);

    [Fact]
    public void Relu_rnn_layer_equals_its_cells_stepped_by_hand() =>
        AssertLayerEqualsCells(RnnKind(Nonlinearity.Relu), StackedSetup);

    [Theory]
    [InlineData(Nonlinearity.Tanh)]
    [InlineData(Nonlinearity.Relu)]
    public void Rnn_layer_gives_the_same_bits_on_one_two_and_three_threads(Nonlinearity nonlinearity) =>
        AssertSameOnAnyThreadCount(RnnKind(nonlinearity), SplitSetup);

    [Fact]
    public void Step_records_read_before_or_after_backward_hold_the_same_gradients()
    {
        List<double[]> Grads(bool readFirst)
        {
            var rng = new Rng(3);
            var lstm = new Lstm(3, 5, rng, bidirectional: true);
            var y = lstm.Forward(Tensor.Normal(rng, 0, 1, 6, 9, 3));
            if (readFirst) foreach (var cell in y.Steps) _ = cell.ToList();
            (y.Output * Tensor.Uniform(rng, -1, 1, y.Output.Shape)).Sum().Backward();
            return [.. y.Steps.SelectMany(cell => cell.SelectMany(s => new[] { s.H.Grad!, s.C.Grad!, s.I.Grad ?? [] }))];
        }
        var before = Grads(readFirst: true);
        var after = Grads(readFirst: false);
        Assert.All(before.Where((_, k) => k % 3 == 2), g => Assert.Empty(g));   // no op used a gate: no gate gradient
        Assert.Equal(before, after);
    }

    [Fact]
    public void A_loss_on_a_step_record_alone_reaches_the_weights()
    {
        var rng = new Rng(8);
        var lstm = new Lstm(3, 4, rng, batchFirst: true);
        var y = lstm.Forward(Tensor.Normal(rng, 0, 1, 2, 5, 3));
        y.Steps[0][2].F.Sum().Backward();                                      // only the forget gate of step 2
        Assert.Contains(lstm.Cell(0).WeightHh.Grad!, v => v != 0);
        Assert.NotNull(y.Steps[0][2].F.Grad);
        Assert.Null(y.Steps[0][2].I.Grad);
        Assert.All(y.Steps[0].Skip(3), s => Assert.All(s.H.Grad!, v => Assert.Equal(0, v)));   // later steps do not matter
        Assert.Contains(y.Steps[0][1].H.Grad!, v => v != 0);
    }

    [Fact]
    public void No_grad_forward_gives_the_same_values_and_records_nothing()
    {
        var rng = new Rng(9);
        var lstm = new Lstm(3, 4, rng, numLayers: 2, bidirectional: true);
        var x = Tensor.Normal(rng, 0, 1, 5, 8, 3);
        var recorded = lstm.Forward(x);
        SequenceOutput<LstmStep> plain;
        using (Tensor.NoGrad()) plain = lstm.Forward(x);
        Assert.Equal(recorded.Output.Data, plain.Output.Data);
        Assert.Equal(recorded.CN!.Data, plain.CN!.Data);
        Assert.False(plain.Output.RequiresGrad);
        Assert.False(plain.Steps[1][3].G.RequiresGrad);
        Assert.Equal(recorded.Steps[1][3].G.Data, plain.Steps[1][3].G.Data);
        Assert.Throws<RnnLabException>(() => plain.Steps[0][5]);
    }

    [Fact]
    public void Anomaly_mode_names_the_layer_that_made_a_nan()
    {
        var lstm = new Lstm(3, 4, new Rng(1));
        lstm.Cell(0).WeightHh.Data[5] = double.NaN;
        using var anomaly = Tensor.DetectAnomaly();
        var ex = Assert.Throws<RnnLabException>(() => lstm.Forward(Tensor.Ones(4, 2, 3)));
        Assert.StartsWith("Lstm: forward produced NaN", ex.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Lstm_sequence_op_passes_a_gradient_check_with_step_records_in_the_loss(bool batchFirst, bool reverse)
    {
        var rng = new Rng(31);
        int b = 2, t = 3, i = 2, h = 3;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, batchFirst ? [b, t, i] : [t, b, i]), Tensor.Uniform(rng, -1, 1, b, h), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, 4 * h, i), Tensor.Uniform(rng, -1, 1, 4 * h, h), Tensor.Uniform(rng, -1, 1, 4 * h), Tensor.Uniform(rng, -1, 1, 4 * h),
        ];
        var result = GradCheck.Check(ts =>
        {
            var op = LstmSequenceOp.Forward(ts[0], batchFirst, reverse, ts[1], ts[2], ts[3], ts[4], ts[5], ts[6]);
            var middle = op.Step(1);                                          // h, c, i, f, g, o of step 1
            return Tensor.Concat([op.Output.Reshape(b * t, h), .. middle.Skip(1)], axis: 0);
        }, inputs, seed: 4);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Gru_sequence_op_passes_a_gradient_check_with_step_records_in_the_loss(bool batchFirst, bool reverse)
    {
        var rng = new Rng(33);
        int b = 2, t = 3, i = 2, h = 3;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, batchFirst ? [b, t, i] : [t, b, i]), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, 3 * h, i), Tensor.Uniform(rng, -1, 1, 3 * h, h), Tensor.Uniform(rng, -1, 1, 3 * h), Tensor.Uniform(rng, -1, 1, 3 * h),
        ];
        var result = GradCheck.Check(ts =>
        {
            var op = GruSequenceOp.Forward(ts[0], batchFirst, reverse, ts[1], ts[2], ts[3], ts[4], ts[5]);
            return Tensor.Concat([op.Output.Reshape(b * t, h), .. op.Step(1).Skip(1)], axis: 0);   // and step 1's r, z, n
        }, inputs, seed: 6);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Rnn_sequence_op_passes_a_gradient_check_with_step_records_in_the_loss(bool batchFirst, bool reverse)
    {
        var rng = new Rng(32);
        int b = 2, t = 3, i = 2, h = 3;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, batchFirst ? [b, t, i] : [t, b, i]), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, h, i), Tensor.Uniform(rng, -1, 1, h, h), Tensor.Uniform(rng, -1, 1, h), Tensor.Uniform(rng, -1, 1, h),
        ];
        var result = GradCheck.Check(ts =>
        {
            var op = RnnSequenceOp.Forward(ts[0], batchFirst, reverse, ts[1], ts[2], ts[3], ts[4], ts[5], relu: false);
            return Tensor.Concat([op.Output.Reshape(b * t, h), op.Step(1)[1]], axis: 0);   // and step 1's pre-activation
        }, inputs, seed: 5);
        Assert.True(result.Passed(1e-6), result.ToString());
    }
}
