using RnnLab.Probes;

namespace RnnLab.Analysis;

/// <summary>
/// How far back a gradient reaches: norms of Jacobian products over spans, the predicted decay to draw next to the
/// measured ‖∂L/∂h_t‖, the LSTM forget-gate retention curve, and the measured decay rate (a straight-line fit in log scale).
/// </summary>
public static class Decay
{
    /// <summary>
    /// n[t] = ‖∂s_end/∂s_t‖₂ = ‖J_end · J_{end−1} ⋯ J_{t+1}‖₂ for t = 0 … end (n[end] = 1), where
    /// <paramref name="jacobians"/>[k] = J_k = ∂s_k/∂s_{k−1} (as <see cref="StepJacobian.Along"/> gives them).
    /// </summary>
    public static double[] SpanNorms(IReadOnlyList<double[,]> jacobians, int end)
    {
        CheckEnd(jacobians, end, "SpanNorms");
        var norms = new double[end + 1];
        var product = Matrices.Identity(jacobians[end].GetLength(0));
        for (int t = end; t >= 0; t--)
        {
            norms[t] = Matrices.SpectralNorm(product);
            product = Matrices.Multiply(product, jacobians[t]);   // now ∂s_end/∂s_{t−1}
        }
        return norms;
    }

    /// <summary>
    /// The predicted (upper-bound) decay p[t] = Π_{k=t+1}^{end} ‖J_k‖₂ (p[end] = 1): since ‖AB‖ ≤ ‖A‖‖B‖,
    /// ‖∂L/∂s_t‖ ≤ ‖∂L/∂s_end‖ · p[t]. When every step-norm is below 1, the gradient must vanish at least geometrically.
    /// </summary>
    public static double[] ProductOfStepNorms(IReadOnlyList<double[,]> jacobians, int end)
    {
        CheckEnd(jacobians, end, "ProductOfStepNorms");
        var p = new double[end + 1];
        p[end] = 1;
        for (int t = end - 1; t >= 0; t--) p[t] = p[t + 1] * Matrices.SpectralNorm(jacobians[t + 1]);
        return p;
    }

    /// <summary>
    /// The classic bound for a vanilla RNN (Pascanu, Mikolov &amp; Bengio 2013): J_k = diag(f′(a_k))·W_hh, so
    /// ‖J_k‖ ≤ ‖W_hh‖₂·γ with γ = max|f′| (1 for tanh and ReLU), and b[t] = (‖W_hh‖₂·γ)^{end−t} for t = 0 … end.
    /// If ‖W_hh‖₂ &lt; 1/γ, gradients vanish; exploding needs ‖W_hh‖₂ &gt; 1/γ (necessary, not sufficient).
    /// </summary>
    public static double[] RnnBound(double[,] weightHh, int end, double gamma = 1.0)
    {
        ArgumentNullException.ThrowIfNull(weightHh);
        if (end < 0) throw new RnnLabException($"Decay.RnnBound: end must be 0 or more, got {end}");
        if (!(gamma > 0)) throw new RnnLabException($"Decay.RnnBound: γ = max|f′| must be positive, got {gamma}");
        double rate = Matrices.SpectralNorm(weightHh) * gamma;
        return Enumerable.Range(0, end + 1).Select(t => Math.Pow(rate, end - t)).ToArray();
    }

    /// <summary>
    /// The LSTM's memory-retention curve: r[k][j] = Π_{s=from+1}^{from+k} f_s[j], the fraction of what cell unit j held
    /// at step <paramref name="from"/> that survives k steps later along the cell's direct path c_t = f_t ⊙ c_{t−1} + …
    /// (r[0] = 1). Returns [T − from][H] for one sequence of the batch.
    /// </summary>
    public static double[][] ForgetRetention(LayerTrace layer, int from = 0, int sample = 0)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var f = layer.Gates.FirstOrDefault(g => g.Name == "f")?.Values
                ?? throw new RnnLabException("Decay.ForgetRetention: this layer has no forget gate 'f'; retention curves are for LSTM traces");
        if ((uint)from >= (uint)f.Length) throw new RnnLabException($"Decay.ForgetRetention: from = {from} is not a step of the trace (0 … {f.Length - 1})");
        if ((uint)sample >= (uint)f[0].Length) throw new RnnLabException($"Decay.ForgetRetention: sample {sample} is not in the batch of {f[0].Length}");
        int hidden = f[0][sample].Length;
        var r = new double[f.Length - from][];
        r[0] = Enumerable.Repeat(1.0, hidden).ToArray();
        for (int k = 1; k < r.Length; k++)
        {
            r[k] = new double[hidden];
            for (int j = 0; j < hidden; j++) r[k][j] = r[k - 1][j] * f[from + k][sample][j];
        }
        return r;
    }

    /// <summary>The mean over units of <see cref="ForgetRetention"/>: one curve per trace.</summary>
    public static double[] MeanForgetRetention(LayerTrace layer, int from = 0, int sample = 0) =>
        ForgetRetention(layer, from, sample).Select(r => r.Average()).ToArray();

    /// <summary>
    /// The measured decay rate of a gradient-norm series g[0 … T−1]: the least-squares slope of ln g[t] against the
    /// number of steps back, T − 1 − t. Per step backward in time, the gradient is multiplied by about e^rate:
    /// rate &lt; 0 vanishing, ≈ 0 the edge, &gt; 0 exploding. For h_t = W h_{t−1} with W = ρ·(orthogonal), rate = ln ρ exactly.
    /// Zero and non-finite entries are left out; at least two are needed.
    /// </summary>
    public static double Rate(IReadOnlyList<double> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        var points = Enumerable.Range(0, norms.Count)
            .Where(t => norms[t] > 0 && double.IsFinite(norms[t]))
            .Select(t => (X: (double)(norms.Count - 1 - t), Y: Math.Log(norms[t]))).ToArray();
        if (points.Length < 2)
            throw new RnnLabException($"Decay.Rate: needs at least two positive, finite norms to fit a line; got {points.Length} of {norms.Count}");
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxy / sxx;
    }

    private static void CheckEnd(IReadOnlyList<double[,]> jacobians, int end, string what)
    {
        ArgumentNullException.ThrowIfNull(jacobians);
        if ((uint)end >= (uint)jacobians.Count)
            throw new RnnLabException($"Decay.{what}: end = {end} is not a step of the {jacobians.Count} Jacobians");
    }
}
