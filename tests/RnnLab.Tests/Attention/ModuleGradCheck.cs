using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Attention;

/// <summary>
/// Gradient check of a whole module: its inputs through <see cref="GradCheck.Check"/>, and every element of every
/// parameter by central differences in place (S = Σ w_k y_k with random w, h = 1e-6), against the tape's gradient.
/// Returns the largest relative error |a − n| / max(1, |a|, |n|) over the parameters, with the worst one named.
/// </summary>
public static class ModuleGradCheck
{
    public static void AssertPasses(Module module, Func<Tensor[], Tensor> f, Tensor[] inputs, double tolerance = 1e-6, ulong seed = 5)
    {
        var inputResult = GradCheck.Check(f, inputs, seed);
        Assert.True(inputResult.Passed(tolerance), inputResult.ToString());

        var (worst, name) = ParameterError(module, () => f(inputs), seed);
        Assert.True(worst <= tolerance, $"parameter {name}: relative error {worst:E2}");
    }

    public static (double Error, string Name) ParameterError(Module module, Func<Tensor> f, ulong seed, double h = 1e-6)
    {
        if (!module.Parameters().Any()) return (0, "(no parameters)");
        module.ZeroGrad();
        var y = f();
        var rng = new Rng(seed + 1);
        var w = Tensor.Zeros(y.Shape);
        for (int k = 0; k < w.Size; k++) w.Data[k] = rng.Normal();
        y.Backward(w);
        double worst = 0;
        string worstName = "";
        using var _ = Tensor.NoGrad();
        foreach (var (name, p) in module.NamedParameters())
        {
            var analytic = p.Grad ?? new double[p.Size];
            for (int j = 0; j < p.Size; j++)
            {
                double v = p.Data[j];
                p.Data[j] = v + h; double plus = Weighted(f(), w);
                p.Data[j] = v - h; double minus = Weighted(f(), w);
                p.Data[j] = v;
                double numeric = (plus - minus) / (2 * h), a = analytic[j];
                double rel = Math.Abs(a - numeric) / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(numeric)));
                if (!(rel <= worst)) { worst = double.IsNaN(rel) ? double.PositiveInfinity : rel; worstName = $"{name}[{j}]"; }
            }
        }
        module.ZeroGrad();
        return (worst, worstName);
    }

    private static double Weighted(Tensor y, Tensor w)
    {
        double s = 0;
        for (int k = 0; k < y.Size; k++) s += y.Data[k] * w.Data[k];
        return s;
    }
}
