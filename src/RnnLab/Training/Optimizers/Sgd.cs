using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, exactly as <c>torch.optim.SGD</c>:
/// <code>
/// g = ∇ + λ·p                                   (weight decay λ)
/// b = g on the first step, else μ·b + (1 − τ)·g   (momentum μ, dampening τ)
/// g = g + μ·b if nesterov, else b
/// p = p − lr·g
/// </code>
/// </summary>
public sealed class Sgd : Optimizer
{
    public double Momentum { get; }
    public double Dampening { get; }
    public double WeightDecay { get; }
    public bool Nesterov { get; }
    private readonly double[][]? _buffers;   // momentum buffers (when Momentum ≠ 0)
    private readonly double[] _steps;        // updates per parameter: the first one starts the buffer at the gradient

    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false)
        : base("Sgd", parameters, learningRate)
    {
        CheckNonNegative("Sgd", "momentum", momentum);
        CheckNonNegative("Sgd", "weight decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new RnnLabException("Sgd: Nesterov momentum needs a positive momentum and zero dampening");
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
        if (momentum != 0) _buffers = Params.Select(p => new double[p.Size]).ToArray();
        _steps = new double[Params.Count];
    }

    protected override IEnumerable<(string Name, double[] Values)> State()
    {
        yield return ("step", _steps);
        if (_buffers is not null)
            for (int i = 0; i < Params.Count; i++) yield return ($"momentum_buffer.{i}", _buffers[i]);
    }

    protected override void Update(int index, double[] p, double[] grad)
    {
        double[]? b = _buffers?[index];
        bool first = _steps[index]++ == 0;
        for (int i = 0; i < p.Length; i++)
        {
            double g = grad[i] + WeightDecay * p[i];
            if (b is not null)
            {
                b[i] = first ? g : Momentum * b[i] + (1 - Dampening) * g;
                g = Nesterov ? g + Momentum * b[i] : b[i];
            }
            p[i] -= LearningRate * g;
        }
    }
}
