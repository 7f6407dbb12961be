using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// The base of every layer and model (like PyTorch's <c>nn.Module</c>): it knows its parameters
/// and submodules by name, so that <see cref="NamedParameters"/> yields PyTorch's dotted names
/// (a model with fields <c>rnn</c> and <c>head</c> gives <c>rnn.weight_ih_l0</c>, <c>head.weight</c>, ...)
/// and checkpoints move both ways between RnnLab and PyTorch.
/// Subclasses call <see cref="RegisterParameter"/> and <see cref="RegisterModule"/> in their constructor.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Module Value)> _modules = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>; dropout reads it.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Adds a parameter under <paramref name="name"/> (it becomes a leaf that collects gradients) and returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name);
        parameter.RequiresGrad = true;
        parameter.Name = name;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Adds a submodule under <paramref name="name"/>; its parameters appear as <c>name.param</c>. Returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        _modules.Add((name, module));
        return module;
    }

    private void CheckNewName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new RnnLabException($"{GetType().Name}: parameter and module names must be non-empty and contain no '.', got '{name}'");
        if (_parameters.Any(p => p.Name == name) || _modules.Any(m => m.Name == name))
            throw new RnnLabException($"{GetType().Name}: the name '{name}' is already registered");
    }

    /// <summary>Every parameter with its dotted PyTorch name, own parameters first, then submodules in registration order.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var (prefix, module) in _modules)
            foreach (var (name, value) in module.NamedParameters())
                yield return ($"{prefix}.{name}", value);
    }

    /// <summary>Every parameter (what an optimiser updates).</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>The direct submodules with their names.</summary>
    public IEnumerable<(string Name, Module Value)> NamedChildren() => _modules;

    /// <summary>The total number of scalar parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Size);

    /// <summary>Clears the gradient of every parameter (call before each backward).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Training mode for this module and all submodules.</summary>
    public void Train() => SetTraining(true);

    /// <summary>Evaluation mode for this module and all submodules (dropout off).</summary>
    public void Eval() => SetTraining(false);

    private void SetTraining(bool training)
    {
        IsTraining = training;
        foreach (var (_, module) in _modules) module.SetTraining(training);
    }

    /// <summary>A copy of every parameter's values, by dotted name (what a checkpoint saves).</summary>
    public Dictionary<string, Tensor> StateDict() =>
        NamedParameters().ToDictionary(p => p.Name, p => Tensor.FromArray(p.Value.Data, p.Value.Shape), StringComparer.Ordinal);

    /// <summary>
    /// Copies values into the parameters, in place. With <paramref name="strict"/> every parameter must be
    /// present and no unknown name may appear; shapes must always match exactly.
    /// Everything is checked before anything is copied, so a failed load leaves the model untouched.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = NamedParameters().ToList();
        var ownNames = own.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        if (strict)
        {
            var missing = own.Where(p => !state.ContainsKey(p.Name)).Select(p => p.Name).ToList();
            var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
            if (unexpected.Count > 0) problems.Add($"unexpected: {string.Join(", ", unexpected)}");
        }
        foreach (var (name, value) in own)
            if (state.TryGetValue(name, out var source) && !source.Shape.AsSpan().SequenceEqual(value.Shape))
                problems.Add($"'{name}' has shape {Tensor.ShapeString(source.Shape)} in the state but {Tensor.ShapeString(value.Shape)} in the model");
        if (problems.Count > 0)
            throw new RnnLabException($"LoadStateDict: the state does not fit this {GetType().Name} ({string.Join("; ", problems)}). " +
                                      "Build the model with the same sizes as the one that was saved.");
        foreach (var (name, value) in own)
            if (state.TryGetValue(name, out var source)) Array.Copy(source.Data, value.Data, value.Size);
    }
}
