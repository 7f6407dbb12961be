using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Attention;

/// <summary>
/// Gradient check of a whole module: its inputs through <see cref="GradCheck.Check"/>, and every element of every
/// parameter through <see cref="GradCheck.CheckParameters"/> (the parameters are captured by f, not passed to it).
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

    /// <summary>The largest relative error over the module's parameters, with the worst parameter's name.</summary>
    public static (double Error, string Name) ParameterError(Module module, Func<Tensor> f, ulong seed)
    {
        if (!module.Parameters().Any()) return (0, "(no parameters)");
        var result = GradCheck.CheckParameters(module.NamedParameters(), f, seed + 1);
        var worst = result.Inputs.MaxBy(p => p.MaxRelError)!;
        return (worst.MaxRelError, $"{worst.Name}{Tensor.ShapeString(worst.WorstIndex)}");
    }
}
