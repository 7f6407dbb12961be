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
    private readonly double[]?[] _buffers;

    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false)
        : base("Sgd", parameters, learningRate)
    {
        CheckNonNegative("Sgd", "momentum", momentum);
        CheckNonNegative("Sgd", "weight decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new RnnLabException("Sgd: Nesterov momentum needs a positive momentum and zero dampening");
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
        _buffers = new double[]?[Params.Count];
    }

    protected override void Update(int index, double[] p, double[] grad)
    {
        double[]? b = _buffers[index];
        bool first = b is null;
        if (Momentum != 0 && b is null) b = _buffers[index] = new double[p.Length];
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
