using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// RMSProp (Tieleman &amp; Hinton 2012), exactly as <c>torch.optim.RMSprop</c>:
/// <code>
/// g = ∇ + λ·p
/// v = α·v + (1 − α)·g²
/// centered: ḡ = α·ḡ + (1 − α)·g;  d = √(v − ḡ²) + ε     else d = √v + ε
/// momentum μ > 0: b = μ·b + g/d;  p = p − lr·b            else p = p − lr·g/d
/// </code>
/// </summary>
public sealed class RmsProp : Optimizer
{
    public double Alpha { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public double Momentum { get; }
    public bool Centered { get; }
    private readonly double[][] _squareAvg;
    private readonly double[][]? _gradAvg;
    private readonly double[][]? _buffers;

    public RmsProp(IEnumerable<Tensor> parameters, double learningRate = 0.01, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false)
        : base("RmsProp", parameters, learningRate)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new RnnLabException($"RmsProp: alpha must be in [0, 1], got {alpha}");
        CheckNonNegative("RmsProp", "eps", eps);
        CheckNonNegative("RmsProp", "weight decay", weightDecay);
        CheckNonNegative("RmsProp", "momentum", momentum);
        Alpha = alpha; Eps = eps; WeightDecay = weightDecay; Momentum = momentum; Centered = centered;
        _squareAvg = Params.Select(p => new double[p.Size]).ToArray();
        if (centered) _gradAvg = Params.Select(p => new double[p.Size]).ToArray();
        if (momentum > 0) _buffers = Params.Select(p => new double[p.Size]).ToArray();
    }

    protected override IEnumerable<(string Name, double[] Values)> State()
    {
        for (int i = 0; i < Params.Count; i++)
        {
            yield return ($"square_avg.{i}", _squareAvg[i]);
            if (_gradAvg is not null) yield return ($"grad_avg.{i}", _gradAvg[i]);
            if (_buffers is not null) yield return ($"momentum_buffer.{i}", _buffers[i]);
        }
    }

    protected override void Update(int index, double[] p, double[] grad)
    {
        double[] v = _squareAvg[index];
        double[]? gAvg = _gradAvg?[index], b = _buffers?[index];
        for (int i = 0; i < p.Length; i++)
        {
            double g = grad[i] + WeightDecay * p[i];
            v[i] = Alpha * v[i] + (1 - Alpha) * g * g;
            double d;
            if (gAvg is not null)
            {
                gAvg[i] = Alpha * gAvg[i] + (1 - Alpha) * g;
                d = Math.Sqrt(v[i] - gAvg[i] * gAvg[i]) + Eps;
            }
            else d = Math.Sqrt(v[i]) + Eps;
            if (b is not null)
            {
                b[i] = Momentum * b[i] + g / d;
                p[i] -= LearningRate * b[i];
            }
            else p[i] -= LearningRate * g / d;
        }
    }
}
