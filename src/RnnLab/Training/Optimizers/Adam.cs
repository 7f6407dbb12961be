using System.Numerics;
using System.Runtime.InteropServices;
using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), exactly as <c>torch.optim.Adam</c>:
/// <code>
/// g = ∇ + λ·p
/// m = β₁·m + (1 − β₁)·g          v = β₂·v + (1 − β₂)·g²
/// m̂ = m / (1 − β₁ᵗ)               d = √v / √(1 − β₂ᵗ) + ε    (amsgrad: √max(v so far) instead of √v)
/// p = p − lr · m̂ / d
/// </code>
/// </summary>
public sealed class Adam : Optimizer
{
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public bool AmsGrad { get; }
    private readonly double[][] _m, _v;
    private readonly double[][]? _vMax;
    private readonly double[] _steps;   // per parameter (a double so it is saved with the rest of the state)

    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                double eps = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : base("Adam", parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new RnnLabException($"Adam: beta1 must be in [0, 1), got {beta1}");
        if (!(beta2 >= 0 && beta2 < 1)) throw new RnnLabException($"Adam: beta2 must be in [0, 1), got {beta2}");
        CheckNonNegative("Adam", "eps", eps);
        CheckNonNegative("Adam", "weight decay", weightDecay);
        Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay; AmsGrad = amsGrad;
        _m = Params.Select(p => new double[p.Size]).ToArray();
        _v = Params.Select(p => new double[p.Size]).ToArray();
        if (amsGrad) _vMax = Params.Select(p => new double[p.Size]).ToArray();
        _steps = new double[Params.Count];
    }

    protected override IEnumerable<(string Name, double[] Values)> State()
    {
        yield return ("step", _steps);
        for (int i = 0; i < Params.Count; i++)
        {
            yield return ($"exp_avg.{i}", _m[i]);
            yield return ($"exp_avg_sq.{i}", _v[i]);
            if (_vMax is not null) yield return ($"max_exp_avg_sq.{i}", _vMax[i]);
        }
    }

    protected override void Update(int index, double[] p, double[] grad)
    {
        double t = ++_steps[index];
        double bias1 = 1 - Math.Pow(Beta1, t), bias2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, t));
        double stepSize = LearningRate / bias1;
        double[] m = _m[index], v = _v[index];
        double[]? vMax = _vMax?[index];
        // Vector<double>.Count values at a time. Each lane does exactly the arithmetic of the scalar loop below
        // (no fused multiply-add, correctly rounded √ and ÷), so the result is the same bits, only sooner.
        int vectors = vMax is null ? p.Length / Vector<double>.Count : 0;   // amsgrad keeps the plain loop
        var vp = MemoryMarshal.Cast<double, Vector<double>>(p.AsSpan())[..vectors];
        var vg = MemoryMarshal.Cast<double, Vector<double>>(grad.AsSpan());
        var vm = MemoryMarshal.Cast<double, Vector<double>>(m.AsSpan());
        var vv = MemoryMarshal.Cast<double, Vector<double>>(v.AsSpan());
        Vector<double> beta1 = new(Beta1), beta2 = new(Beta2), oneMinusBeta1 = new(1 - Beta1), oneMinusBeta2 = new(1 - Beta2),
                       decay = new(WeightDecay), step = new(stepSize), bias2 = new(bias2Sqrt), eps = new(Eps);
        for (int k = 0; k < vp.Length; k++)
        {
            var g = vg[k] + decay * vp[k];                                     // g = ∇ + λ·p
            vm[k] = beta1 * vm[k] + oneMinusBeta1 * g;                         // m = β₁·m + (1 − β₁)·g
            vv[k] = beta2 * vv[k] + oneMinusBeta2 * g * g;                     // v = β₂·v + (1 − β₂)·g²
            var d = Vector.SquareRoot(vv[k]) / bias2 + eps;                    // d = √v / √(1 − β₂ᵗ) + ε
            vp[k] -= step * vm[k] / d;                                         // p = p − lr/(1 − β₁ᵗ) · m / d
        }
        for (int i = vectors * Vector<double>.Count; i < p.Length; i++)
        {
            double g = grad[i] + WeightDecay * p[i];
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            double vUsed = v[i];
            if (vMax is not null) vUsed = vMax[i] = Math.Max(vMax[i], v[i]);
            double d = Math.Sqrt(vUsed) / bias2Sqrt + Eps;
            p[i] -= stepSize * m[i] / d;
        }
    }
}
