using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The fused cell ops behind <c>LstmCell.Step</c>, <c>GruCell.Step</c> and <c>RnnCell.Step</c> against the composed equations
/// (<c>StepComposed</c>): same values and same gradients to ~1e-12, through several steps, with losses on every output
/// (h, c, the gates, the pre-activation); and central-difference gradient checks of the fused ops themselves.
/// </summary>
public sealed class FusedCellTests
{
    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])),
                        $"{what}[{k}]: composed {expected[k]:R}, fused {actual[k]:R}");
    }

    // One run of a cell, fused or composed: the steps from parameter initial states, a loss Σ w ⊙ output over every
    // output of every step (random weights w, so every output's gradient path is exercised), then Backward. Returns every
    // value, then every gradient: the outputs' (total ∂L/∂h_t, ∂L/∂c_t, ∂L/∂gate, as probes read them), the parameters',
    // the inputs' and the initial states'.
    private static List<double[]> ValuesAndGradients<TState>(Module cell, Tensor[] xs, Tensor[] initialStates, TState state,
                                                             Func<Tensor, TState, (Tensor[] Outputs, TState Next)> step, Rng weights)
    {
        var values = new List<double[]>();
        var outputs = new List<Tensor>();
        Tensor loss = Tensor.Scalar(0);
        foreach (var x in xs)
        {
            var (stepOutputs, next) = step(x, state);
            foreach (var t in stepOutputs)
            {
                values.Add(t.Data);
                outputs.Add(t);
                loss = loss + (t * Tensor.Uniform(weights, -1, 1, t.Shape)).Sum();
            }
            state = next;
        }
        loss.Backward();
        values.AddRange(outputs.Select(t => t.Grad!));
        values.AddRange(cell.Parameters().Select(p => p.Grad!));
        values.AddRange(xs.Select(x => x.Grad!));
        values.AddRange(initialStates.Select(h => h.Grad!));
        return values;
    }

    // Runs the composed equations and the fused op on the same seeds and holds every value and gradient equal.
    private static void AssertFusedEqualsComposed(Func<bool, List<double[]>> run)
    {
        var composed = run(false);
        var fused = run(true);
        Assert.Equal(composed.Count, fused.Count);
        for (int k = 0; k < composed.Count; k++) AssertClose(composed[k], fused[k], $"output {k}");
    }

    private static Tensor[] Inputs(Rng rng, int steps, int batch, int inputs) =>
        Enumerable.Range(0, steps).Select(t => Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, inputs), $"x{t}")).ToArray();

    [Theory]
    [InlineData(1, 5, 4, 1)]
    [InlineData(3, 7, 6, 4)]
    [InlineData(9, 3, 13, 5)]
    public void Fused_lstm_step_equals_the_composed_equations_in_values_and_all_gradients(int batch, int inputs, int hidden, int steps) =>
        AssertFusedEqualsComposed(fused =>
        {
            var rng = new Rng(42);
            var cell = new LstmCell(inputs, hidden, rng);
            var xs = Inputs(rng, steps, batch, inputs);
            var h0 = Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, hidden), "h0");
            var c0 = Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, hidden), "c0");
            return ValuesAndGradients(cell, xs, [h0, c0], new LstmState(h0, c0), (x, state) =>
            {
                var s = fused ? cell.Step(x, state) : cell.StepComposed(x, state);
                return ([s.H, s.C, s.I, s.F, s.G, s.O], s.State);
            }, new Rng(7));
        });

    [Theory]
    [InlineData(false, 1, 4)]
    [InlineData(false, 5, 3)]
    [InlineData(true, 4, 6)]
    public void Fused_rnn_step_equals_the_composed_equations_in_values_and_gradients(bool relu, int batch, int steps) =>
        AssertFusedEqualsComposed(fused =>
        {
            const int inputs = 6, hidden = 7;
            var rng = new Rng(5);
            var cell = new RnnCell(inputs, hidden, rng, relu ? Nonlinearity.Relu : Nonlinearity.Tanh);
            var xs = Inputs(rng, steps, batch, inputs);
            var h0 = Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, hidden), "h0");
            return ValuesAndGradients(cell, xs, [h0], h0, (x, h) =>
            {
                var s = fused ? cell.Step(x, h) : cell.StepComposed(x, h);
                return ([s.H, s.PreActivation], s.H);
            }, new Rng(9));
        });

    [Theory]
    [InlineData(1, 4)]
    [InlineData(6, 3)]
    public void Fused_gru_step_equals_the_composed_equations_in_values_and_all_gradients(int batch, int steps) =>
        AssertFusedEqualsComposed(fused =>
        {
            const int inputs = 5, hidden = 7;
            var rng = new Rng(6);
            var cell = new GruCell(inputs, hidden, rng);
            var xs = Inputs(rng, steps, batch, inputs);
            var h0 = Tensor.Parameter(Tensor.Normal(rng, 0, 1, batch, hidden), "h0");
            return ValuesAndGradients(cell, xs, [h0], h0, (x, h) =>
            {
                var s = fused ? cell.Step(x, h) : cell.StepComposed(x, h);
                return ([s.H, s.R, s.Z, s.N], s.H);
            }, new Rng(10));
        });

    [Fact]
    public void Gru_gradient_check_of_the_fused_op_with_every_output_in_the_loss()
    {
        var rng = new Rng(13);
        int b = 2, i = 3, h = 4;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, b, i), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, 3 * h, i), Tensor.Uniform(rng, -1, 1, 3 * h, h), Tensor.Uniform(rng, -1, 1, 3 * h), Tensor.Uniform(rng, -1, 1, 3 * h),
        ];
        var result = GradCheck.Check(ts =>
        {
            var (h1, r, z, n) = GruCellOp.Forward(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]);
            var (h2, _, _, _) = GruCellOp.Forward(ts[0], h1, ts[2], ts[3], ts[4], ts[5]);
            return Tensor.Concat([h1, r, z, n, h2], axis: 1);
        }, inputs, seed: 14);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Fact]
    public void Lstm_gradient_check_of_the_fused_op_with_every_output_in_the_loss()
    {
        var rng = new Rng(3);
        int b = 2, i = 3, h = 4;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, b, i), Tensor.Uniform(rng, -1, 1, b, h), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, 4 * h, i), Tensor.Uniform(rng, -1, 1, 4 * h, h), Tensor.Uniform(rng, -1, 1, 4 * h), Tensor.Uniform(rng, -1, 1, 4 * h),
        ];
        var result = GradCheck.Check(ts =>
        {
            var (hh, cc, ii, ff, gg, oo) = LstmCellOp.Forward(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], ts[6]);
            var (h2, c2, _, _, _, _) = LstmCellOp.Forward(ts[0], hh, cc, ts[3], ts[4], ts[5], ts[6]);   // a second step through the carried state
            return Tensor.Concat([hh, cc, ii, ff, gg, oo, h2, c2], axis: 1);
        }, inputs, seed: 11);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rnn_gradient_check_of_the_fused_op(bool relu)
    {
        var rng = new Rng(4);
        int b = 3, i = 4, h = 5;
        Tensor[] inputs =
        [
            Tensor.Uniform(rng, -1, 1, b, i), Tensor.Uniform(rng, -1, 1, b, h),
            Tensor.Uniform(rng, -1, 1, h, i), Tensor.Uniform(rng, -1, 1, h, h), Tensor.Uniform(rng, 0.5, 1, h), Tensor.Uniform(rng, 0.5, 1, h),
        ];
        if (relu) { Array.Fill(inputs[0].Data, 0.3); Array.Fill(inputs[1].Data, 0.2); Array.Fill(inputs[2].Data, 0.1); Array.Fill(inputs[3].Data, 0.1); }   // away from the kink
        var result = GradCheck.Check(ts =>
        {
            var (h1, a1) = RnnCellOp.Forward(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], relu);
            var (h2, _) = RnnCellOp.Forward(ts[0], h1, ts[2], ts[3], ts[4], ts[5], relu);
            return Tensor.Concat([h1, a1, h2], axis: 1);
        }, inputs, seed: 12);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Fact]
    public void A_loss_on_the_cell_state_alone_reaches_the_weights_through_the_shared_node()
    {
        // c_n only: the node's h output gets no gradient, so the node must still run because c did.
        var grads = new List<double[]>();
        foreach (bool fused in new[] { false, true })
        {
            var cell = new LstmCell(3, 4, new Rng(8));
            var x = Tensor.Normal(new Rng(1), 0, 1, 2, 3);
            var s1 = fused ? cell.Step(x) : cell.StepComposed(x);
            var s2 = fused ? cell.Step(x, s1.State) : cell.StepComposed(x, s1.State);
            s2.C.Sum().Backward();
            grads.Add(cell.WeightHh.Grad!);
        }
        Assert.Contains(grads[1], v => v != 0);
        AssertClose(grads[0], grads[1], "weight_hh grad");
    }

    [Fact]
    public void A_one_hot_sequence_through_the_lstm_layer_matches_the_composed_cells()
    {
        // The sparse (one-hot) matrix paths in forward and backward, against the composed steps.
        const int v = 11, hidden = 8, batch = 5, steps = 6;
        var rng = new Rng(21);
        var idx = Enumerable.Range(0, batch * steps).Select(_ => rng.NextInt(v)).ToArray();
        var x = Tensor.OneHot(idx, v).Reshape(steps, batch, v);
        var layer = new Lstm(v, hidden, new Rng(2));
        var output = layer.Forward(x).Output;
        var weights = Tensor.Uniform(new Rng(3), -1, 1, output.Shape);
        (output * weights).Sum().Backward();
        var fusedGrads = layer.Parameters().Select(p => (double[])p.Grad!.Clone()).ToList();

        layer.ZeroGrad();
        var cell = layer.Cell(0);
        var hs = new List<Tensor>();
        LstmState? state = null;
        for (int t = 0; t < steps; t++)
        {
            var s = cell.StepComposed(x.Select(0, t), state);
            hs.Add(s.H);
            state = s.State;
        }
        var composed = Tensor.Stack(hs, axis: 0);
        AssertClose(composed.Data, output.Data, "output");
        (composed * weights).Sum().Backward();
        var composedGrads = layer.Parameters().Select(p => p.Grad!).ToList();
        for (int k = 0; k < fusedGrads.Count; k++) AssertClose(composedGrads[k], fusedGrads[k], $"parameter {k} grad");
    }
}
