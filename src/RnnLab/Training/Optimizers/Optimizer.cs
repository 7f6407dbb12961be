using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// Updates parameters from their gradients (PyTorch's <c>torch.optim.Optimizer</c>).
/// Call <see cref="ZeroGrad"/>, compute the loss, <c>loss.Backward()</c>, then <see cref="Step"/>.
/// Parameters that received no gradient are skipped, as in PyTorch.
/// </summary>
public abstract class Optimizer
{
    protected IReadOnlyList<Tensor> Params { get; }

    /// <summary>The learning rate; a schedule may change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>How many times <see cref="Step"/> has run.</summary>
    public int StepCount { get; private set; }

    protected Optimizer(string name, IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Params = parameters.ToList();
        if (Params.Count == 0) throw new RnnLabException($"{name}: got no parameters to optimise");
        if (Params.Distinct().Count() != Params.Count) throw new RnnLabException($"{name}: a parameter appears twice in the list");
        if (!(learningRate >= 0)) throw new RnnLabException($"{name}: learning rate must be non-negative, got {learningRate}");
        LearningRate = learningRate;
    }

    public void ZeroGrad()
    {
        foreach (var p in Params) p.ZeroGrad();
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Params.Count; i++)
            if (Params[i].Grad is double[] grad) Update(i, Params[i].Data, grad);
    }

    /// <summary>Updates parameter number <paramref name="index"/> (values <paramref name="p"/>, gradient <paramref name="grad"/>) in place.</summary>
    protected abstract void Update(int index, double[] p, double[] grad);

    protected static void CheckNonNegative(string name, string what, double value)
    {
        if (!(value >= 0)) throw new RnnLabException($"{name}: {what} must be non-negative, got {value}");
    }
}
