using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Nn;

public sealed class CellTests
{
    private const int I = 3, H = 3, B = 2;

    private static Tensor Random(Rng rng, params int[] shape) => Tensor.Uniform(rng, -1, 1, shape);

    private static Tensor[] Weights(Rng rng, int gates) =>
        [Random(rng, gates * H, I), Random(rng, gates * H, H), Random(rng, gates * H), Random(rng, gates * H)];

    private static CellWeights W(Tensor[] ts, int at) => new(ts[at], ts[at + 1], ts[at + 2], ts[at + 3]);

    // Unrolls a cell for T steps through its carried state and returns every h_t (and c_t) stacked: the gradient of
    // the output reaches x_0 … x_{T−1}, the initial state and the weights through every step.
    private static Tensor Unroll(string cell, Tensor[] ts, int steps)
    {
        // ts: x [T, B, I], h0 [B, H], (c0 [B, H]), then the four weights
        var outs = new List<Tensor>();
        var h = ts[1];
        switch (cell)
        {
            case "lstm":
                var c = ts[2];
                for (int t = 0; t < steps; t++)
                {
                    var s = LstmCell.Equations(ts[0].Select(0, t), h, c, W(ts, 3));
                    (h, c) = (s.H, s.C);
                    outs.Add(Tensor.Concat([s.H, s.C], axis: 1));
                }
                break;
            case "gru":
                for (int t = 0; t < steps; t++) outs.Add(h = GruCell.Equations(ts[0].Select(0, t), h, W(ts, 2)).H);
                break;
            default:
                var nl = cell == "rnn-relu" ? Nonlinearity.Relu : Nonlinearity.Tanh;
                for (int t = 0; t < steps; t++) outs.Add(h = RnnCell.Equations(ts[0].Select(0, t), h, W(ts, 2), nl).H);
                break;
        }
        return Tensor.Stack(outs, axis: 0);
    }

    [Theory]
    [InlineData("rnn-tanh", 1)] [InlineData("rnn-tanh", 5)] [InlineData("rnn-tanh", 20)]
    [InlineData("rnn-relu", 1)] [InlineData("rnn-relu", 5)] [InlineData("rnn-relu", 20)]
    [InlineData("lstm", 1)] [InlineData("lstm", 5)] [InlineData("lstm", 20)]
    [InlineData("gru", 1)] [InlineData("gru", 5)] [InlineData("gru", 20)]
    public void Gradients_match_central_differences_through_the_carried_state(string cell, int steps)
    {
        var rng = new Rng((ulong)(steps * 31 + cell.Length));
        int gates = cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        var inputs = new List<Tensor> { Random(rng, steps, B, I), Random(rng, B, H) };
        if (cell == "lstm") inputs.Add(Random(rng, B, H));
        inputs.AddRange(Weights(rng, gates));
        if (cell == "rnn-relu")   // keep pre-activations away from the kink at 0, where the derivative jumps
            for (int k = 0; k < inputs[^2].Size; k++) inputs[^2].Data[k] = 0.5 + 0.5 * Math.Abs(inputs[^2].Data[k]);
        var result = GradCheck.Check(ts => Unroll(cell, ts, steps), [.. inputs], seed: 7);
        Assert.True(result.Passed(1e-6), result.ToString());
    }

    [Fact]
    public void Lstm_step_follows_the_equations_by_hand()
    {
        // One unit, one input: z = w_ih·x + b_ih + w_hh·h + b_hh per gate (i, f, g, o).
        var cell = new LstmCell(1, 1, new Rng(0));
        double[] wih = [0.5, -0.3, 0.8, 0.1], whh = [0.2, 0.4, -0.6, 0.7], bih = [0.1, 0.2, 0.0, -0.1], bhh = [0.0, 0.3, 0.1, 0.2];
        wih.CopyTo(cell.WeightIh.Data, 0); whh.CopyTo(cell.WeightHh.Data, 0); bih.CopyTo(cell.BiasIh.Data, 0); bhh.CopyTo(cell.BiasHh.Data, 0);
        double x = 1.5, h = -0.4, c = 0.9;
        double Z(int k) => wih[k] * x + bih[k] + whh[k] * h + bhh[k];
        double Sig(double v) => 1 / (1 + Math.Exp(-v));
        double i = Sig(Z(0)), f = Sig(Z(1)), g = Math.Tanh(Z(2)), o = Sig(Z(3));
        double cNext = f * c + i * g, hNext = o * Math.Tanh(cNext);

        var s = cell.Step(Tensor.Full(x, 1, 1), new LstmState(Tensor.Full(h, 1, 1), Tensor.Full(c, 1, 1)));
        Assert.Equal(i, s.I.Item(), 1e-15);
        Assert.Equal(f, s.F.Item(), 1e-15);
        Assert.Equal(g, s.G.Item(), 1e-15);
        Assert.Equal(o, s.O.Item(), 1e-15);
        Assert.Equal(cNext, s.C.Item(), 1e-15);
        Assert.Equal(hNext, s.H.Item(), 1e-15);
        Assert.Equal(s.H, s.State.H);
    }

    [Fact]
    public void Gru_step_uses_PyTorch_candidate_with_reset_after_the_recurrent_product()
    {
        var cell = new GruCell(1, 1, new Rng(0));
        double[] wih = [0.5, -0.3, 0.8], whh = [0.2, 0.4, -0.6], bih = [0.1, 0.2, 0.0], bhh = [0.0, 0.3, 0.5];
        wih.CopyTo(cell.WeightIh.Data, 0); whh.CopyTo(cell.WeightHh.Data, 0); bih.CopyTo(cell.BiasIh.Data, 0); bhh.CopyTo(cell.BiasHh.Data, 0);
        double x = 1.5, h = -0.4;
        double Sig(double v) => 1 / (1 + Math.Exp(-v));
        double r = Sig(wih[0] * x + bih[0] + whh[0] * h + bhh[0]);
        double z = Sig(wih[1] * x + bih[1] + whh[1] * h + bhh[1]);
        double n = Math.Tanh(wih[2] * x + bih[2] + r * (whh[2] * h + bhh[2]));
        var s = cell.Step(Tensor.Full(x, 1, 1), Tensor.Full(h, 1, 1));
        Assert.Equal(r, s.R.Item(), 1e-15);
        Assert.Equal(z, s.Z.Item(), 1e-15);
        Assert.Equal(n, s.N.Item(), 1e-15);
        Assert.Equal((1 - z) * n + z * h, s.H.Item(), 1e-15);
    }

    [Fact]
    public void Rnn_step_exposes_the_pre_activation_and_relu_clips_it()
    {
        var cell = new RnnCell(2, 2, new Rng(3), Nonlinearity.Relu);
        var s = cell.Step(Tensor.FromArray(new double[,] { { 1, -2 } }));
        for (int k = 0; k < 2; k++) Assert.Equal(Math.Max(0, s.PreActivation.Data[k]), s.H.Data[k]);
        var t = new RnnCell(2, 2, new Rng(3)).Step(Tensor.FromArray(new double[,] { { 1, -2 } }));
        for (int k = 0; k < 2; k++) Assert.Equal(Math.Tanh(t.PreActivation.Data[k]), t.H.Data[k], 1e-15);
    }

    [Fact]
    public void Cells_have_PyTorch_names_and_shapes_and_default_to_a_zero_state()
    {
        var lstm = new LstmCell(5, 4, new Rng(1));
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], lstm.NamedParameters().Select(p => p.Name));
        Assert.Equal([16, 5], lstm.WeightIh.Shape);
        Assert.Equal([16, 4], lstm.WeightHh.Shape);
        Assert.Equal([12, 5], new GruCell(5, 4, new Rng(1)).WeightIh.Shape);
        var x = Tensor.Uniform(new Rng(2), -1, 1, 3, 5);
        var zero = new LstmState(Tensor.Zeros(3, 4), Tensor.Zeros(3, 4));
        Assert.Equal(lstm.Step(x, zero).H.Data, lstm.Step(x).H.Data);
        double bound = 1 / Math.Sqrt(4);
        Assert.All(lstm.Parameters().SelectMany(p => p.Data), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void Bad_shapes_name_the_cell_and_the_expected_shape()
    {
        var gru = new GruCell(5, 4, new Rng(1));
        Assert.Equal("GruCell.Step: expected input x of shape [B, 5] (batch, input size), got [3, 6]",
            Assert.Throws<RnnLabException>(() => gru.Step(Tensor.Zeros(3, 6))).Message);
        Assert.Equal("GruCell.Step: expected h of shape [3, 4] (batch, hidden size) to match the input, got [2, 4]",
            Assert.Throws<RnnLabException>(() => gru.Step(Tensor.Zeros(3, 5), Tensor.Zeros(2, 4))).Message);
        Assert.Contains("LstmCell.Step: expected c", Assert.Throws<RnnLabException>(() =>
            new LstmCell(5, 4, new Rng(1)).Step(Tensor.Zeros(3, 5), new LstmState(Tensor.Zeros(3, 4), Tensor.Zeros(3, 5)))).Message);
        Assert.Throws<RnnLabException>(() => new RnnCell(0, 4, new Rng(1)));
    }

    [Fact]
    public void Initialisers_set_the_documented_values()
    {
        var lstm = new LstmCell(3, 4, new Rng(1));
        lstm.InitForgetGateBias(1.0);
        Assert.All(lstm.BiasIh.Data[4..8], v => Assert.Equal(1.0, v));
        Assert.All(lstm.BiasHh.Data[4..8], v => Assert.Equal(0.0, v));

        var keeper = new GruCell(3, 4, new Rng(1));
        var resetAndCandidate = keeper.BiasIh.Data[..4].Concat(keeper.BiasIh.Data[8..]).ToArray();
        keeper.InitUpdateGateBias(4.0);                                                     // rows H … 2H − 1: z
        Assert.All(keeper.BiasIh.Data[4..8], v => Assert.Equal(4.0, v));
        Assert.All(keeper.BiasHh.Data[4..8], v => Assert.Equal(0.0, v));
        Assert.Equal(resetAndCandidate, keeper.BiasIh.Data[..4].Concat(keeper.BiasIh.Data[8..]).ToArray());
        Assert.All(keeper.Step(Tensor.Zeros(1, 3)).Z.Data, z => Assert.Equal(1 / (1 + Math.Exp(-4.0)), z, 12));   // x = 0, h = 0: z = σ(4)

        var rnn = new RnnCell(3, 4, new Rng(1), Nonlinearity.Relu);
        rnn.InitIdentity();
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) Assert.Equal(r == c ? 1.0 : 0.0, rnn.WeightHh[r, c]);
        Assert.All(rnn.BiasIh.Data.Concat(rnn.BiasHh.Data), v => Assert.Equal(0.0, v));

        var gru = new GruCell(3, 4, new Rng(1));
        gru.InitOrthogonal(new Rng(2));
        for (int g = 0; g < 3; g++)   // each gate's [H, H] block is orthogonal
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++)
                {
                    double dot = 0;
                    for (int k = 0; k < 4; k++) dot += gru.WeightHh[g * 4 + a, k] * gru.WeightHh[g * 4 + b, k];
                    Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-12);
                }
    }
}
