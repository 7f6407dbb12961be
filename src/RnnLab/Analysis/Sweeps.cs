using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Analysis;

/// <summary>One setting of a sweep: the swept value, the measured decay rate (see <see cref="Decay.Rate"/>) and the gradient norms it was fitted to.</summary>
public sealed record SweepMeasurement(double Value, double DecayRate, double[] GradNorms);

/// <summary>
/// Sweeps that show the regimes of gradient flow: rescale W_hh to spectral radius ρ (vanishing for ρ &lt; 1, the edge at
/// ρ ≈ 1, exploding for ρ &gt; 1), or set the LSTM's forget-gate bias. Each setting runs one probe with L = Σ h_T and fits
/// the decay rate of ‖∂L/∂h_t‖. The cell's parameters are put back as they were afterwards.
/// </summary>
public static class Sweeps
{
    /// <summary><paramref name="count"/> evenly spaced values from <paramref name="from"/> to <paramref name="to"/> (both included).</summary>
    public static double[] Range(double from, double to, int count)
    {
        if (count < 2) throw new RnnLabException($"Sweeps.Range: needs at least 2 points, got {count}");
        return Enumerable.Range(0, count).Select(i => from + (to - from) * i / (count - 1)).ToArray();
    }

    /// <summary>W_hh scaled so that its spectral radius is <paramref name="rho"/>: W · ρ / ρ(W).</summary>
    public static double[,] WithSpectralRadius(double[,] weightHh, double rho)
    {
        double current = Eigen.SpectralRadius(weightHh);
        if (current == 0) throw new RnnLabException("Sweeps.WithSpectralRadius: W_hh has spectral radius 0 (e.g. all zeros or nilpotent); it cannot be rescaled to another radius");
        return Matrices.Scale(weightHh, rho / current);
    }

    /// <summary>For each ρ: W_hh of the RNN cell rescaled to spectral radius ρ, probed on <paramref name="input"/> [T, B, I].</summary>
    public static SweepMeasurement[] SpectralRadius(RnnCell cell, Tensor input, IEnumerable<double> radii)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(radii);
        int h = cell.HiddenSize;
        var original = Matrices.FromRowMajor(cell.WeightHh.Data, h, h);
        return WithRestore(cell, radii, rho =>
        {
            var scaled = WithSpectralRadius(original, rho);
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++) cell.WeightHh.Data[i * h + j] = scaled[i, j];
            return Probe.Run(cell, input);
        });
    }

    /// <summary>For each bias b: the LSTM cell's forget-gate bias set to b (b_if = b, b_hf = 0), probed on <paramref name="input"/>.</summary>
    public static SweepMeasurement[] ForgetGateBias(LstmCell cell, Tensor input, IEnumerable<double> biases)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(biases);
        return WithRestore(cell, biases, b =>
        {
            cell.InitForgetGateBias(b);
            return Probe.Run(cell, input);
        });
    }

    private static SweepMeasurement[] WithRestore(RecurrentCell cell, IEnumerable<double> values, Func<double, Trace> probe)
    {
        var saved = cell.Parameters().Select(p => (p, Data: (double[])p.Data.Clone(), Grad: (double[]?)p.Grad?.Clone())).ToList();
        try
        {
            return values.Select(v =>
            {
                var norms = probe(v).Layers[0].HGradNorm!;
                return new SweepMeasurement(v, Decay.Rate(norms), norms);
            }).ToArray();
        }
        finally
        {
            foreach (var (p, data, grad) in saved)
            {
                Array.Copy(data, p.Data, data.Length);
                if (grad is null) p.ZeroGrad(); else Array.Copy(grad, p.GradBuffer(), grad.Length);
            }
        }
    }
}
