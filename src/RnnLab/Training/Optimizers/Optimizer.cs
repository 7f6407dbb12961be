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

    /// <summary>
    /// The optimiser's running state (moments, accumulators, per-parameter step counts) as named tensors, e.g.
    /// <c>exp_avg.0</c>: save it beside the model and training resumes exactly where it stopped.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var state = State().ToDictionary(s => s.Name, s => Tensor.FromArray(s.Values));
        state["step_count"] = Tensor.FromArray([StepCount]);
        return state;
    }

    /// <summary>Restores a state saved by <see cref="StateDict"/> from an optimiser of the same kind over the same parameters.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var buffers = State().ToList();
        foreach (var (name, values) in buffers)
            if (!state.TryGetValue(name, out var t) || t.Size != values.Length)
                throw new RnnLabException($"{GetType().Name}.LoadStateDict: the saved state has no '{name}' of {values.Length} values; " +
                                          "it was saved by a different optimiser or for a different model");
        if (!state.TryGetValue("step_count", out var steps) || steps.Size != 1)
            throw new RnnLabException($"{GetType().Name}.LoadStateDict: the saved state has no step_count");
        foreach (var (name, values) in buffers) Array.Copy(state[name].Data, values, values.Length);
        StepCount = (int)steps.Data[0];
    }

    /// <summary>Every buffer of running state, named as in PyTorch's optimiser state (with the parameter's index).</summary>
    protected abstract IEnumerable<(string Name, double[] Values)> State();

    /// <summary>Updates parameter number <paramref name="index"/> (values <paramref name="p"/>, gradient <paramref name="grad"/>) in place.</summary>
    protected abstract void Update(int index, double[] p, double[] grad);

    protected static void CheckNonNegative(string name, string what, double value)
    {
        if (!(value >= 0)) throw new RnnLabException($"{name}: {what} must be non-negative, got {value}");
    }
}
