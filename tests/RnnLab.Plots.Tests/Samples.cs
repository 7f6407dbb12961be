using RnnLab.Autodiff;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests;

/// <summary>
/// Deterministic example data for every chart: a small tanh RNN and LSTM run by hand on
/// "hello world" (no probes module needed), plus analytic gradient and training curves.
/// </summary>
internal static class Samples
{
    public static readonly string[] Text = "hello world\nhi".Select(c => c.ToString()).ToArray();

    /// <summary>A seeded tanh RNN, hₜ = tanh(W hₜ₋₁ + U xₜ), over the sample text: [H, T].</summary>
    public static double[,] RnnStates(int hidden = 8)
    {
        var rng = new Rng(7);
        double[,] w = Matrix(rng, hidden, hidden, 1.2 / Math.Sqrt(hidden)), u = Matrix(rng, hidden, 128, 1.0);
        var states = new double[hidden, Text.Length];
        var h = new double[hidden];
        for (int t = 0; t < Text.Length; t++)
        {
            int x = Text[t][0];
            var next = new double[hidden];
            for (int i = 0; i < hidden; i++)
            {
                double s = u[i, x];
                for (int j = 0; j < hidden; j++) s += w[i, j] * h[j];
                next[i] = Math.Tanh(s);
                states[i, t] = next[i];
            }
            h = next;
        }
        return states;
    }

    /// <summary>LSTM-like gate activations derived from the RNN states (values in the right ranges).</summary>
    public static IReadOnlyList<GateSeries> LstmGates(int hidden = 8)
    {
        var h = RnnStates(hidden);
        int steps = h.GetLength(1);
        double[,] i = new double[hidden, steps], f = new double[hidden, steps], g = new double[hidden, steps], o = new double[hidden, steps], c = new double[hidden, steps];
        for (int u = 0; u < hidden; u++)
        {
            double cell = 0;
            for (int t = 0; t < steps; t++)
            {
                i[u, t] = Sigmoid(2 * h[u, t]);
                f[u, t] = Sigmoid(3 - 2 * Math.Abs(h[u, t]) - (Text[t] == " " ? 4 : 0));
                g[u, t] = Math.Tanh(1.5 * h[u, (t + 1) % steps]);
                o[u, t] = Sigmoid(h[u, t] - 0.5);
                cell = f[u, t] * cell + i[u, t] * g[u, t];
                c[u, t] = cell;
            }
        }
        return GateSeries.Lstm(i, f, g, o, c);
    }

    public static GradientNormData Gradients(int steps = 40)
    {
        double[] rnn = Enumerable.Range(0, steps).Select(t => 2.0 * Math.Pow(0.6, steps - 1 - t) * (1 + 0.2 * Math.Sin(t))).ToArray();
        double[] rnnPredicted = Enumerable.Range(0, steps).Select(t => 2.0 * Math.Pow(0.6, steps - 1 - t)).ToArray();
        double[] lstm = Enumerable.Range(0, steps).Select(t => 0.8 * Math.Pow(0.97, steps - 1 - t) * (1 + 0.1 * Math.Cos(t))).ToArray();
        return new GradientNormData([new("tanh RNN", rnn, rnnPredicted), new("LSTM", lstm)]);
    }

    public static ConnectivityData Connectivity()
    {
        int steps = Text.Length;
        var v = new double[steps, steps];
        for (int tp = 0; tp < steps; tp++)
            for (int t = 0; t <= tp; t++)
                v[tp, t] = Math.Pow(0.45, tp - t) * (1 + 0.3 * Math.Sin(t + tp));
        return new ConnectivityData(v, Text);
    }

    public static SpectralSweepData Sweep() => new(
    [
        new("tanh RNN", Enumerable.Range(0, 11).Select(k => 0.5 + 0.1 * k).Select(rho => new SweepPoint(rho, Math.Log10(rho) * 0.9 - 0.02)).ToArray()),
        new("linear RNN", Enumerable.Range(0, 11).Select(k => 0.5 + 0.1 * k).Select(rho => new SweepPoint(rho, Math.Log10(rho))).ToArray()),
    ]);

    public static SingularValueData Singular() => new(
    [
        new("t = 1", Enumerable.Range(0, 8).Select(k => 1.6 * Math.Pow(0.7, k)).ToArray()),
        new("t = 10", Enumerable.Range(0, 8).Select(k => 0.9 * Math.Pow(0.5, k)).ToArray()),
    ]);

    public static readonly string[] Source = ["le", "chat", "noir", "dort", "<eos>"];
    public static readonly string[] Target = ["the", "black", "cat", "sleeps"];

    /// <summary>A soft alignment [target=4, source=5], each row a softmax.</summary>
    public static double[,] AttentionWeights()
    {
        int[] aligned = [0, 2, 1, 3];
        var w = new double[Target.Length, Source.Length];
        for (int i = 0; i < Target.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < Source.Length; j++) sum += w[i, j] = Math.Exp(-2.5 * Math.Abs(j - aligned[i]));
            for (int j = 0; j < Source.Length; j++) w[i, j] /= sum;
        }
        return w;
    }

    public static AttentionData Attention() => new(AttentionWeights(), Source, Target);

    public static LossCurveData Loss() => new(
        Enumerable.Range(0, 200).Select(s => new CurvePoint(s, 1.2 + 3.0 * Math.Exp(-s / 40.0) + 0.05 * Math.Sin(s))).ToArray(),
        Enumerable.Range(0, 11).Select(k => new CurvePoint(20 * k, 1.35 + 3.0 * Math.Exp(-20 * k / 40.0))).ToArray(),
        Baseline: 3.3);

    public static GradNormHistoryData GradNormHistory() => new(
        Enumerable.Range(0, 200).Select(s => new CurvePoint(s, 8 * Math.Exp(-s / 60.0) + 0.5 + (s % 37 == 0 ? 20 : 0))).ToArray(),
        ClipThreshold: 5);

    public static ForecastData Forecast()
    {
        double[] actual = Enumerable.Range(0, 120).Select(t => Math.Sin(t / 6.0) + 0.3 * Math.Sin(t / 2.3)).ToArray();
        double[] forecast = Enumerable.Range(10, 110).Select(t => Math.Sin(t / 6.0) + 0.25 * Math.Sin(t / 2.3 + 0.2)).ToArray();
        return new ForecastData(actual, forecast, Boundary: 90, ForecastStart: 10);
    }

    public static NeuronTextData NeuronText()
    {
        var h = RnnStates();
        var predictions = Text.Select((_, t) => (IReadOnlyList<Prediction>)
            "eolr wdh".Select((c, k) => new Prediction(c.ToString(), Math.Exp(-k - 0.1 * t) / 2.2)).ToArray()).ToArray();
        return new NeuronTextData(Text, Enumerable.Range(0, Text.Length).Select(t => h[3, t]).ToArray(), predictions, "Unit 3 of a tanh RNN reading the text");
    }

    public static ScrubberData Scrubber()
    {
        var weights = new double[Text.Length, Source.Length];
        for (int t = 0; t < Text.Length; t++)
        {
            double sum = 0;
            for (int j = 0; j < Source.Length; j++) sum += weights[t, j] = Math.Exp(-Math.Abs(j - t * Source.Length / (double)Text.Length));
            for (int j = 0; j < Source.Length; j++) weights[t, j] /= sum;
        }
        return new ScrubberData(Text, RnnStates(), LstmGates().Take(4).ToArray(), weights, Source);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double[,] Matrix(Rng rng, int rows, int cols, double scale)
    {
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m[r, c] = rng.Uniform(-scale, scale);
        return m;
    }
}
