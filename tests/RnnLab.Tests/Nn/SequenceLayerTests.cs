using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Nn;

public sealed class SequenceLayerTests
{
    [Fact]
    public void Parameter_names_and_shapes_are_PyTorch_s()
    {
        var lstm = new Lstm(3, 4, new Rng(0), numLayers: 2, bidirectional: true);
        var names = lstm.NamedParameters().Select(p => $"{p.Name}{Tensor.ShapeString(p.Value.Shape)}");
        Assert.Equal([
            "weight_ih_l0[16, 3]", "weight_hh_l0[16, 4]", "bias_ih_l0[16]", "bias_hh_l0[16]",
            "weight_ih_l0_reverse[16, 3]", "weight_hh_l0_reverse[16, 4]", "bias_ih_l0_reverse[16]", "bias_hh_l0_reverse[16]",
            "weight_ih_l1[16, 8]", "weight_hh_l1[16, 4]", "bias_ih_l1[16]", "bias_hh_l1[16]",
            "weight_ih_l1_reverse[16, 8]", "weight_hh_l1_reverse[16, 4]", "bias_ih_l1_reverse[16]", "bias_hh_l1_reverse[16]"], names);
        Assert.Same(lstm.Cell(1, reverse: true).WeightIh, lstm.NamedParameters().Single(p => p.Name == "weight_ih_l1_reverse").Value);
    }

    // The step API by hand: run each layer's cells over time, feed the concatenated directions to the next layer.
    private static (double[] Output, double[] HN) ByHand<TState, TStep>(
        Func<int, bool, IRecurrentCell<TState, TStep>> cell, Tensor x, int layers, bool bidirectional, Func<int, TState?> initial)
        where TState : class where TStep : ICellStep<TState>
    {
        int steps = x.Shape[0];
        var xs = Enumerable.Range(0, steps).Select(t => x.Select(0, t)).ToArray();
        var finals = new List<Tensor>();
        for (int l = 0; l < layers; l++)
        {
            var fwd = new Tensor[steps];
            var state = initial(l * (bidirectional ? 2 : 1));
            for (int t = 0; t < steps; t++) { var s = cell(l, false).Step(xs[t], state); fwd[t] = s.H; state = s.State; }
            finals.Add(fwd[^1]);
            if (bidirectional)
            {
                var bwd = new Tensor[steps];
                state = initial(l * 2 + 1);
                for (int t = steps - 1; t >= 0; t--) { var s = cell(l, true).Step(xs[t], state); bwd[t] = s.H; state = s.State; }
                finals.Add(bwd[0]);
                xs = Enumerable.Range(0, steps).Select(t => Tensor.Concat([fwd[t], bwd[t]], axis: 1)).ToArray();
            }
            else xs = fwd;
        }
        return (xs.SelectMany(h => h.Data).ToArray(), finals.SelectMany(h => h.Data).ToArray());
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Step_API_and_sequence_layers_give_identical_numbers(int layers, bool bidirectional)
    {
        var rng = new Rng(11);
        var x = Tensor.Uniform(rng, -1, 1, 6, 2, 3);
        int d = bidirectional ? 2 : 1;
        var h0 = Tensor.Uniform(rng, -1, 1, layers * d, 2, 4);
        var c0 = Tensor.Uniform(rng, -1, 1, layers * d, 2, 4);

        var lstm = new Lstm(3, 4, rng, layers, bidirectional);
        var ly = lstm.Forward(x, h0, c0);
        var (lo, lh) = ByHand<LstmState, LstmStep>((l, r) => lstm.Cell(l, r), x, layers, bidirectional,
            k => new LstmState(h0.Select(0, k), c0.Select(0, k)));
        Assert.Equal(lo, ly.Output.Data);
        Assert.Equal(lh, ly.HN.Data);
        Assert.Equal([layers * d, 2, 4], ly.CN!.Shape);
        Assert.Equal(ly.Steps[0][5].C.Data, ly.CN.Data[..8]);   // forward direction of layer 0 ends at t = T − 1

        var gru = new Gru(3, 4, rng, layers, bidirectional);
        var gy = gru.Forward(x, h0);
        var (go, gh) = ByHand<Tensor, GruStep>((l, r) => gru.Cell(l, r), x, layers, bidirectional, k => h0.Select(0, k));
        Assert.Equal(go, gy.Output.Data);
        Assert.Equal(gh, gy.HN.Data);

        var rnn = new Rnn(3, 4, rng, layers, Nonlinearity.Tanh, bidirectional);
        var ry = rnn.Forward(x);
        var (ro, rh) = ByHand<Tensor, RnnStep>((l, r) => rnn.Cell(l, r), x, layers, bidirectional, _ => null);
        Assert.Equal(ro, ry.Output.Data);
        Assert.Equal(rh, ry.HN.Data);
        Assert.Equal([6, 2, 4 * d], ry.Output.Shape);
        Assert.Equal(layers * d, ry.Steps.Count);
        Assert.All(ry.Steps, s => Assert.Equal(6, s.Count));
    }

    [Fact]
    public void Batch_first_is_the_same_computation_transposed()
    {
        var x = Tensor.Uniform(new Rng(4), -1, 1, 5, 3, 2);                  // [T, B, I]
        var a = new Gru(2, 3, new Rng(9), bidirectional: true);
        var b = new Gru(2, 3, new Rng(9), bidirectional: true, batchFirst: true);
        var ya = a.Forward(x);
        var yb = b.Forward(x.Transpose(0, 1));                              // [B, T, I]
        Assert.Equal([3, 5, 6], yb.Output.Shape);
        Assert.Equal(ya.Output.Transpose(0, 1).Data, yb.Output.Data);
        Assert.Equal(ya.HN.Data, yb.HN.Data);                               // h_n stays [L·D, B, H]
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void Stacked_bidirectional_layers_pass_gradient_checks(string kind)
    {
        // Small sizes: 2 layers × 2 directions, T = 4, B = 2, I = 2, H = 2. Checked w.r.t. the input and the initial
        // state(s), whose gradients flow through every cell, both directions and both layers. (The weight gradients of the
        // same layers are compared with PyTorch's in PyTorchParityTests, and the cells' weights are gradient-checked in CellTests.)
        var rng = new Rng(5);
        var x = Tensor.Uniform(rng, -1, 1, 4, 2, 2);
        var h0 = Tensor.Uniform(rng, -1, 1, 4, 2, 2);
        var c0 = Tensor.Uniform(rng, -1, 1, 4, 2, 2);
        Func<Tensor[], Tensor> f = kind switch
        {
            "lstm" => Flatten(new Lstm(2, 2, rng, 2, bidirectional: true), (m, ts) => m.Forward(ts[0], ts[1], ts[2])),
            "gru" => Flatten(new Gru(2, 2, rng, 2, bidirectional: true), (m, ts) => m.Forward(ts[0], ts[1])),
            _ => Flatten(new Rnn(2, 2, rng, 2, bidirectional: true), (m, ts) => m.Forward(ts[0], ts[1])),
        };
        var result = GradCheck.Check(f, kind == "lstm" ? [x, h0, c0] : [x, h0], seed: 3);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    // Output, h_n (and c_n) as one vector, so the check covers all of them.
    private static Func<Tensor[], Tensor> Flatten<TModel, TStep>(TModel model, Func<TModel, Tensor[], SequenceOutput<TStep>> run) => ts =>
    {
        var y = run(model, ts);
        var parts = new List<Tensor> { y.Output.Reshape(-1), y.HN.Reshape(-1) };
        if (y.CN is not null) parts.Add(y.CN.Reshape(-1));
        return Tensor.Concat(parts, axis: 0);
    };

    [Fact]
    public void Bad_inputs_and_states_are_explained()
    {
        var lstm = new Lstm(3, 4, new Rng(0), numLayers: 2);
        Assert.Equal("Lstm: expected input [T, B, I] with I = 3, got [5, 2, 4]",
            Assert.Throws<RnnLabException>(() => lstm.Forward(Tensor.Zeros(5, 2, 4))).Message);
        Assert.Equal("Lstm: expected h0 of shape [2, 2, 4] (layers × directions, batch, hidden size), got [1, 2, 4]",
            Assert.Throws<RnnLabException>(() => lstm.Forward(Tensor.Zeros(5, 2, 3), Tensor.Zeros(1, 2, 4))).Message);
        Assert.Contains("no reverse cell", Assert.Throws<RnnLabException>(() => lstm.Cell(0, reverse: true)).Message);
        Assert.Contains("batchFirst", Assert.Throws<RnnLabException>(() =>
            new Rnn(3, 4, new Rng(0), batchFirst: true).Forward(Tensor.Zeros(2, 5))).Message);
    }

    [Fact]
    public void Layer_initialisers_reach_every_cell()
    {
        var lstm = new Lstm(3, 4, new Rng(0), numLayers: 2, bidirectional: true);
        lstm.InitForgetGateBias(2.0);
        Assert.All(lstm.Cells, c => Assert.Equal(2.0, c.BiasIh.Data[4]));
        var rnn = new Rnn(3, 4, new Rng(0), numLayers: 2, nonlinearity: Nonlinearity.Relu);
        rnn.InitIdentity();
        Assert.All(rnn.Cells, c => Assert.Equal(1.0, c.WeightHh[3, 3]));
        var a = new Gru(3, 4, new Rng(0));
        var b = new Gru(3, 4, new Rng(0));
        a.InitOrthogonal(new Rng(1));
        b.InitOrthogonal(new Rng(1));
        Assert.Equal(a.Cell(0).WeightHh.Data, b.Cell(0).WeightHh.Data);   // deterministic
    }
}
