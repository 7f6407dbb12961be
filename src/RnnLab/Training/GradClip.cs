using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>Gradient clipping (PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>): tames exploding gradients.</summary>
public static class GradClip
{
    /// <summary>
    /// Rescales all gradients together so their global L2 norm ‖g‖ = √(Σ g²) is at most <paramref name="maxNorm"/>:
    /// g ← g · min(1, maxNorm / (‖g‖ + 1e-6)). The direction of the update is kept.
    /// Returns the norm before clipping (NaN or ∞ when a gradient is; then nothing is changed).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new RnnLabException($"ClipGradNorm: maxNorm must be positive, got {maxNorm}");
        var grads = parameters.Select(p => p.Grad).OfType<double[]>().ToList();
        double total = GlobalNorm(grads);
        if (!double.IsFinite(total)) return total;
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads)
                for (int i = 0; i < g.Length; i++) g[i] *= coef;
        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue] (min-char-rnn clips at ±5).</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue > 0)) throw new RnnLabException($"ClipGradValue: clipValue must be positive, got {clipValue}");
        foreach (var p in parameters)
            if (p.Grad is double[] g)
                for (int i = 0; i < g.Length; i++) g[i] = Math.Clamp(g[i], -clipValue, clipValue);
    }

    /// <summary>The global L2 norm √(Σ g²) of all gradients (parameters without a gradient count as zero).</summary>
    public static double GradNorm(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return GlobalNorm(parameters.Select(p => p.Grad).OfType<double[]>());
    }

    private static double GlobalNorm(IEnumerable<double[]> grads)
    {
        double sum = 0;
        foreach (var g in grads)
            foreach (double v in g) sum += v * v;
        return Math.Sqrt(sum);
    }
}
