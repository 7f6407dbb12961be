using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>
/// Noisy sine waves: sequence b is x_t = sin(ω_b·t + φ_b) + ε_t with frequency f_b ~ U(MinFrequency, MaxFrequency)
/// cycles per step (ω = 2πf), phase φ_b ~ U(0, 2π) and noise ε_t ~ N(0, NoiseStd²). The target at step t is the
/// clean next value y_t = sin(ω_b·(t + 1) + φ_b): to predict it well a model must infer the wave's frequency and
/// phase from several past steps, averaging out the noise.
/// </summary>
public sealed class NoisySine
{
    public int Steps { get; }
    public double MinFrequency { get; }
    public double MaxFrequency { get; }
    public double NoiseStd { get; }

    public NoisySine(int steps, double minFrequency = 1.0 / 40, double maxFrequency = 1.0 / 10, double noiseStd = 0.1)
    {
        if (steps < 1) throw new RnnLabException($"NoisySine: steps must be at least 1, got {steps}");
        if (!(minFrequency > 0 && maxFrequency > minFrequency && maxFrequency <= 0.5))
            throw new RnnLabException($"NoisySine: need 0 < minFrequency < maxFrequency <= 0.5 cycles per step, got {minFrequency} and {maxFrequency}");
        if (!(noiseStd >= 0)) throw new RnnLabException($"NoisySine: noiseStd must be non-negative, got {noiseStd}");
        (Steps, MinFrequency, MaxFrequency, NoiseStd) = (steps, minFrequency, maxFrequency, noiseStd);
    }

    /// <summary>Inputs [T, B, 1] (noisy) and targets [T, B, 1] (the clean value one step ahead).</summary>
    public RegressionBatch Sample(int batchSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new RnnLabException($"NoisySine.Sample: batchSize must be at least 1, got {batchSize}");
        var x = new double[Steps * batchSize];
        var y = new double[Steps * batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            double omega = 2 * Math.PI * rng.Uniform(MinFrequency, MaxFrequency), phi = rng.Uniform(0, 2 * Math.PI);
            for (int t = 0; t < Steps; t++)
            {
                x[t * batchSize + b] = Math.Sin(omega * t + phi) + rng.Normal(0, NoiseStd);
                y[t * batchSize + b] = Math.Sin(omega * (t + 1) + phi);
            }
        }
        return new RegressionBatch(x, [Steps, batchSize, 1], y, [Steps, batchSize, 1]);
    }

    /// <summary>
    /// The persistence forecast, ŷ_t = x_t (copy the current input; needs no memory):
    /// E[(sin(ωt + ω + φ) − sin(ωt + φ) − ε)²] = (1 − cos ω) + σ² for uniform phase, and averaging over
    /// ω ~ U(ω₁, ω₂): MSE = 1 − (sin ω₂ − sin ω₁)/(ω₂ − ω₁) + σ².
    /// </summary>
    public Baseline Baseline
    {
        get
        {
            double w1 = 2 * Math.PI * MinFrequency, w2 = 2 * Math.PI * MaxFrequency;
            double mse = 1 - (Math.Sin(w2) - Math.Sin(w1)) / (w2 - w1) + NoiseStd * NoiseStd;
            return new Baseline("MSE", mse, "persistence: predict the current noisy input; 1 - (sin w2 - sin w1)/(w2 - w1) + noise variance");
        }
    }
}
