using System.Numerics;
using System.Runtime.InteropServices;
using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer 2011), exactly as <c>torch.optim.Adagrad</c>:
/// <code>
/// clr = lr / (1 + (t − 1)·lr_decay)
/// g = ∇ + λ·p
/// s = s + g²                         (s starts at initial_accumulator_value)
/// p = p − clr · g / (√s + ε)
/// </code>
/// </summary>
public sealed class Adagrad : Optimizer
{
    public double LearningRateDecay { get; }
    public double WeightDecay { get; }
    public double Eps { get; }
    private readonly double[][] _sums;
    private readonly double[] _steps;   // per parameter (a double so it is saved with the rest of the state)

    public Adagrad(IEnumerable<Tensor> parameters, double learningRate = 0.01, double learningRateDecay = 0,
                   double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base("Adagrad", parameters, learningRate)
    {
        CheckNonNegative("Adagrad", "learning rate decay", learningRateDecay);
        CheckNonNegative("Adagrad", "weight decay", weightDecay);
        CheckNonNegative("Adagrad", "initial accumulator value", initialAccumulatorValue);
        CheckNonNegative("Adagrad", "eps", eps);
        LearningRateDecay = learningRateDecay; WeightDecay = weightDecay; Eps = eps;
        _sums = Params.Select(p => Enumerable.Repeat(initialAccumulatorValue, p.Size).ToArray()).ToArray();
        _steps = new double[Params.Count];
    }

    protected override IEnumerable<(string Name, double[] Values)> State()
    {
        yield return ("step", _steps);
        for (int i = 0; i < Params.Count; i++) yield return ($"sum.{i}", _sums[i]);
    }

    protected override void Update(int index, double[] p, double[] grad)
    {
        double t = ++_steps[index];
        double clr = LearningRate / (1 + (t - 1) * LearningRateDecay);
        double[] s = _sums[index];
        // Vector<double>.Count values at a time. Each lane does exactly the arithmetic of the scalar loop below
        // (no fused multiply-add, correctly rounded √ and ÷), so the result is the same bits, only sooner.
        var vp = MemoryMarshal.Cast<double, Vector<double>>(p.AsSpan());
        var vg = MemoryMarshal.Cast<double, Vector<double>>(grad.AsSpan());
        var vs = MemoryMarshal.Cast<double, Vector<double>>(s.AsSpan());
        Vector<double> lr = new(clr), decay = new(WeightDecay), eps = new(Eps);
        for (int v = 0; v < vp.Length; v++)
        {
            var g = vg[v] + decay * vp[v];                                     // g = ∇ + λ·p
            vs[v] += g * g;                                                   // s = s + g²
            vp[v] -= lr * g / (Vector.SquareRoot(vs[v]) + eps);               // p = p − clr · g / (√s + ε)
        }
        for (int i = vp.Length * Vector<double>.Count; i < p.Length; i++)    // the last few values, one at a time
        {
            double g = grad[i] + WeightDecay * p[i];
            s[i] += g * g;
            p[i] -= clr * g / (Math.Sqrt(s[i]) + Eps);
        }
    }
}
