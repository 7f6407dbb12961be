using System.Numerics;
using System.Runtime.InteropServices;
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
        var grads = Gradients(parameters);
        double total = GlobalNorm(grads);
        if (!double.IsFinite(total)) return total;
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
            foreach (var g in grads) Scale(g, coef);
        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue] (min-char-rnn clips at ±5).</summary>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue > 0)) throw new RnnLabException($"ClipGradValue: clipValue must be positive, got {clipValue}");
        foreach (var p in parameters)
            if (p.Grad is double[] g) Clamp(g, -clipValue, clipValue);
    }

    /// <summary>The global L2 norm √(Σ g²) of all gradients (parameters without a gradient count as zero).</summary>
    public static double GradNorm(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return GlobalNorm(Gradients(parameters));
    }

    private static List<double[]> Gradients(IEnumerable<Tensor> parameters)
    {
        var grads = new List<double[]>();
        foreach (var p in parameters)
            if (p.Grad is double[] g) grads.Add(g);
        return grads;
    }

    // √(Σ g²), each buffer's Σ g² as the vectorised dot product g · g (a fixed order: the same bits every time).
    private static double GlobalNorm(List<double[]> grads)
    {
        double sum = 0;
        foreach (var g in grads) sum += Gemm.Dot(g, g);
        return Math.Sqrt(sum);
    }

    // The loops below do Vector<double>.Count values at a time; each lane does exactly what the scalar tail does.

    // g ← g · coef
    private static void Scale(double[] g, double coef)
    {
        var vg = MemoryMarshal.Cast<double, Vector<double>>(g.AsSpan());
        var c = new Vector<double>(coef);
        for (int v = 0; v < vg.Length; v++) vg[v] *= c;
        for (int i = vg.Length * Vector<double>.Count; i < g.Length; i++) g[i] *= coef;
    }

    // g ← clamp(g, lo, hi) = (g < lo ? lo : g > hi ? hi : g), as Math.Clamp: a NaN fails both tests and stays NaN.
    private static void Clamp(double[] g, double lo, double hi)
    {
        var vg = MemoryMarshal.Cast<double, Vector<double>>(g.AsSpan());
        Vector<double> vlo = new(lo), vhi = new(hi);
        for (int v = 0; v < vg.Length; v++)
        {
            var x = vg[v];
            vg[v] = Vector.ConditionalSelect(Vector.LessThan(x, vlo), vlo, Vector.ConditionalSelect(Vector.GreaterThan(x, vhi), vhi, x));
        }
        for (int i = vg.Length * Vector<double>.Count; i < g.Length; i++) g[i] = Math.Clamp(g[i], lo, hi);
    }
}
