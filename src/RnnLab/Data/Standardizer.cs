namespace RnnLab.Data;

/// <summary>
/// z-score normalisation, z = (x − μ) / σ, with μ and σ (population standard deviation) fitted on the
/// training part only: statistics of the validation or test part would leak the future into training.
/// </summary>
public sealed record Standardizer(double Mean, double Std)
{
    public static Standardizer Fit(ReadOnlySpan<double> training)
    {
        if (training.Length == 0) throw new RnnLabException("Standardizer.Fit: no training values were given");
        double mean = 0;
        foreach (double x in training) mean += x;
        mean /= training.Length;
        double variance = 0;
        foreach (double x in training) variance += (x - mean) * (x - mean);
        double std = Math.Sqrt(variance / training.Length);
        if (!(std > 0))
            throw new RnnLabException($"Standardizer.Fit: the {training.Length} training values are all equal ({mean}); a constant series cannot be standardised");
        return new Standardizer(mean, std);
    }

    public double Transform(double x) => (x - Mean) / Std;

    public double Inverse(double z) => z * Std + Mean;

    public double[] Transform(IEnumerable<double> xs) => xs.Select(Transform).ToArray();

    public double[] Inverse(IEnumerable<double> zs) => zs.Select(Inverse).ToArray();
}
