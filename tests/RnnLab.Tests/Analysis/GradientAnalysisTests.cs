using RnnLab.Analysis;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Tests.Analysis;

public sealed class GradientAnalysisTests
{
    private const int I = 3, H = 4;

    private static RecurrentCell MakeCell(string kind, Rng rng) => kind switch
    {
        "rnn" => new RnnCell(I, H, rng),
        "rnn-relu" => new RnnCell(I, H, rng, Nonlinearity.Relu),
        "lstm" => new LstmCell(I, H, rng),
        _ => new GruCell(I, H, rng),
    };

    private static double[] Random(Rng rng, int n, double scale = 1) => Enumerable.Range(0, n).Select(_ => scale * rng.Uniform(-1, 1)).ToArray();

    // s_t as one vector (h, or h then c for the LSTM), computed without the tape
    private static double[] NextState(RecurrentCell cell, double[] x, double[] s)
    {
        using var _ = Tensor.NoGrad();
        var h = Tensor.FromArray(s[..H], 1, H);
        var c = cell is LstmCell ? Tensor.FromArray(s[H..], 1, H) : null;
        var w = cell.Weights;
        var xt = Tensor.FromArray(x, 1, I);
        return cell switch
        {
            RnnCell r => RnnCell.Equations(xt, h, w, r.Nonlinearity).H.Data,
            GruCell => GruCell.Equations(xt, h, w).H.Data,
            _ => LstmCell.Equations(xt, h, c!, w) is var st ? [.. st.H.Data, .. st.C.Data] : [],
        };
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("rnn-relu")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Step_Jacobian_equals_finite_differences(string kind)
    {
        var rng = new Rng(1);
        var cell = MakeCell(kind, rng);
        var x = Random(rng, I);
        int n = cell is LstmCell ? 2 * H : H;
        var s = Random(rng, n, 0.8);
        var jac = StepJacobian.At(cell, x, s[..H], cell is LstmCell ? s[H..] : null);
        Assert.Equal((n, n), (jac.GetLength(0), jac.GetLength(1)));
        const double eps = 1e-6;
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])s.Clone(); plus[j] += eps;
            var minus = (double[])s.Clone(); minus[j] -= eps;
            double[] fp = NextState(cell, x, plus), fm = NextState(cell, x, minus);
            for (int i = 0; i < n; i++) Assert.Equal((fp[i] - fm[i]) / (2 * eps), jac[i, j], 1e-8);
        }
        Assert.All(cell.Parameters(), p => Assert.Null(p.Grad));   // analysis leaves the parameters' gradients alone
    }

    [Fact]
    public void Tanh_RNN_step_Jacobian_is_diag_of_tanh_prime_times_W_hh()
    {
        var rng = new Rng(2);
        var cell = new RnnCell(I, H, rng);
        double[] x = Random(rng, I), h = Random(rng, H);
        var jac = StepJacobian.At(cell, x, h);
        var hNext = NextState(cell, x, h);
        for (int i = 0; i < H; i++)
            for (int j = 0; j < H; j++) Assert.Equal((1 - hNext[i] * hNext[i]) * cell.WeightHh[i, j], jac[i, j], 1e-14);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void Span_norms_bound_the_measured_gradient_and_the_step_norm_product_bounds_the_spans(string kind)
    {
        var rng = new Rng(3);
        var cell = MakeCell(kind, rng);
        var input = Tensor.Uniform(rng, -1, 1, 12, 1, I);
        var flow = GradientFlow.Measure(cell, input);
        var trace = cell switch { RnnCell r => Probe.Run(r, input), LstmCell l => Probe.Run(l, input), _ => Probe.Run((GruCell)cell, input) };
        var jacs = StepJacobian.Along(cell, trace);
        int end = 11;
        var spans = Decay.SpanNorms(jacs, end);
        var product = Decay.ProductOfStepNorms(jacs, end);
        Assert.Equal(1.0, spans[end], 1e-12);
        for (int t = 0; t <= end; t++)
        {
            Assert.True(spans[t] <= product[t] * (1 + 1e-9), $"span norm {spans[t]} exceeds the product {product[t]} at t = {t}");
            Assert.True(flow.Norms[t] <= flow.Predicted[t] * (1 + 1e-9), $"measured {flow.Norms[t]} exceeds the prediction {flow.Predicted[t]} at t = {t}");
            Assert.True(flow.Norms[t] <= spans[t] * flow.Norms[end] * (1 + 1e-9));
        }
        Assert.Equal(trace.Layers[0].HGradNorm, flow.Norms);
    }

    [Fact]
    public void RNN_bound_uses_the_spectral_norm_of_W_hh()
    {
        var rng = new Rng(4);
        var cell = new RnnCell(I, H, rng);
        var w = Matrices.FromRowMajor(cell.WeightHh.Data, H, H);
        var bound = Decay.RnnBound(w, 5);
        double norm = Svd.SingularValues(w)[0];
        Assert.Equal(Math.Pow(norm, 5), bound[0], 1e-12);
        Assert.Equal(1.0, bound[5]);
        var trace = Probe.Run(cell, Tensor.Uniform(rng, -1, 1, 6, 1, I));
        var product = Decay.ProductOfStepNorms(StepJacobian.Along(cell, trace), 5);
        for (int t = 0; t <= 5; t++) Assert.True(product[t] <= bound[t] * (1 + 1e-12));
    }

    [Fact]
    public void Forget_retention_is_the_running_product_of_forget_gates()
    {
        var rng = new Rng(5);
        var cell = new LstmCell(I, H, rng);
        var trace = Probe.Run(cell, Tensor.Uniform(rng, -1, 1, 8, 2, I));
        var f = trace.Layers[0].Gate("f").Values;
        var r = Decay.ForgetRetention(trace.Layers[0], from: 2, sample: 1);
        Assert.Equal(6, r.Length);
        Assert.All(r[0], v => Assert.Equal(1.0, v));
        Assert.Equal(f[3][1][2] * f[4][1][2] * f[5][1][2], r[3][2], 1e-15);
        var mean = Decay.MeanForgetRetention(trace.Layers[0], 2, 1);
        Assert.Equal(r[5].Average(), mean[5], 1e-15);
        Assert.Contains("forget gate", Assert.Throws<RnnLabException>(() => Decay.ForgetRetention(Probe.Run(new GruCell(I, H, rng), Tensor.Ones(3, 1, I)).Layers[0])).Message);
    }

    [Fact]
    public void Connectivity_equals_the_Jacobian_norms_by_finite_differences()
    {
        var rng = new Rng(6);
        var cell = new GruCell(I, H, rng);
        int steps = 5;
        var input = Tensor.Uniform(rng, -1, 1, steps, 1, I);
        var conn = GradientFlow.Connectivity(cell, input);
        double[] Hs(double[] data, int tp)
        {
            double[] s = new double[H];
            for (int t = 0; t <= tp; t++) s = NextState(cell, data[(t * I)..((t + 1) * I)], s);
            return s;
        }
        const double eps = 1e-6;
        for (int tp = 0; tp < steps; tp++)
            for (int t = 0; t < steps; t++)
            {
                double sum = 0;
                for (int k = 0; k < I; k++)
                {
                    var plus = input.ToArray(); plus[t * I + k] += eps;
                    var minus = input.ToArray(); minus[t * I + k] -= eps;
                    double[] a = Hs(plus, tp), b = Hs(minus, tp);
                    for (int j = 0; j < H; j++) sum += Math.Pow((a[j] - b[j]) / (2 * eps), 2);
                }
                Assert.Equal(Math.Sqrt(sum), conn[tp][t], 1e-8);
                if (t > tp) Assert.Equal(0.0, conn[tp][t]);
            }
    }

    [Fact]
    public void Spectral_radius_sweep_measures_log_rho_for_a_linear_RNN()
    {
        // Orthogonal W_hh and zero biases; inputs of size 1e−9 keep every tanh in its linear part (tanh′ = 1 − O(1e−12)),
        // so ∂L/∂h_t = (W_hhᵀ)^{T−1−t}·1 with W_hh = ρ·Q, whose norm is exactly ρ^{T−1−t}·√H.
        var rng = new Rng(7);
        var cell = new RnnCell(I, 8, rng);
        cell.InitOrthogonal(rng);
        var before = cell.WeightHh.ToArray();
        var input = Tensor.Uniform(rng, -1e-9, 1e-9, 25, 1, I);
        var points = Sweeps.SpectralRadius(cell, input, Sweeps.Range(0.5, 1.5, 5));
        Assert.Equal([0.5, 0.75, 1.0, 1.25, 1.5], points.Select(p => p.Value));
        foreach (var p in points) Assert.Equal(Math.Log(p.Value), p.DecayRate, 1e-6);
        Assert.True(points[0].GradNorms[0] < 1e-6 && points[^1].GradNorms[0] > 1e3);   // vanishing … exploding
        Assert.Equal(before, cell.WeightHh.Data);                                          // the cell is put back
    }

    [Fact]
    public void Forget_bias_sweep_keeps_gradients_longer_as_the_bias_grows()
    {
        var rng = new Rng(8);
        var cell = new LstmCell(I, 16, rng);
        var input = Tensor.Uniform(rng, -1, 1, 30, 1, I);
        var points = Sweeps.ForgetGateBias(cell, input, [-2.0, 0.0, 2.0, 4.0]);
        for (int k = 1; k < points.Length; k++) Assert.True(points[k].DecayRate > points[k - 1].DecayRate);
        Assert.True(points[0].DecayRate < -0.5);
    }

    [Fact]
    public void RNN_with_small_spectral_radius_vanishes_faster_than_LSTM_with_forget_bias_one()
    {
        var rng = new Rng(9);
        var input = Tensor.Uniform(rng, -1, 1, 40, 1, I);
        var rnn = new RnnCell(I, 16, new Rng(10));
        var scaled = Sweeps.WithSpectralRadius(Matrices.FromRowMajor(rnn.WeightHh.Data, 16, 16), 0.5);
        for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) rnn.WeightHh[i, j] = scaled[i, j];
        var lstm = new LstmCell(I, 16, new Rng(10));
        lstm.InitForgetGateBias(1.0);
        var flows = GradientFlow.Compare(input, rnn, lstm);
        Assert.Equal([CellKind.Rnn, CellKind.Lstm], flows.Select(f => f.Kind));
        Assert.True(flows[0].DecayRate < flows[1].DecayRate);
        Assert.True(flows[0].Norms[0] / flows[0].Norms[^1] < flows[1].Norms[0] / flows[1].Norms[^1]);

        var three = GradientFlow.Compare(input, hiddenSize: 16, seed: 3, lstmForgetBias: 1.0);
        Assert.Equal([CellKind.Rnn, CellKind.Lstm, CellKind.Gru], three.Select(f => f.Kind));
        Assert.All(three, f => Assert.Equal(40, f.Norms.Length));
    }

    [Fact]
    public void Decay_rate_fit_is_the_slope_in_log_scale()
    {
        double[] norms = Enumerable.Range(0, 10).Select(t => 3 * Math.Exp(-0.2 * (9 - t))).ToArray();
        Assert.Equal(-0.2, Decay.Rate(norms), 1e-12);
        Assert.Equal(-0.2, Decay.Rate([0, .. norms[1..]]), 1e-12);    // zeros (gradient never arrived) are left out
        Assert.Contains("at least two", Assert.Throws<RnnLabException>(() => Decay.Rate([0, 0, 1])).Message);
    }
}
