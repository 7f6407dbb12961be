namespace RnnLab.Autodiff;

/// <summary>
/// An elementwise op y = f(x) whose derivative is written in terms of x and y. A struct, so the
/// loops below are compiled once per op with f inlined; its fields carry parameters (Pow's p).
/// </summary>
internal interface IUnaryOp
{
    double F(double x);
    double Dfdx(double x, double y);
}

internal struct NegOp : IUnaryOp      // y = −x;        dy/dx = −1
{
    public readonly double F(double x) => -x;
    public readonly double Dfdx(double x, double y) => -1;
}

internal struct TanhOp : IUnaryOp     // y = tanh x;    dy/dx = 1 − y²
{
    public readonly double F(double x) => Math.Tanh(x);
    public readonly double Dfdx(double x, double y) => 1 - y * y;
}

internal struct SigmoidOp : IUnaryOp  // y = σ(x) = 1 / (1 + e^−x);   dy/dx = y (1 − y)
{
    public readonly double F(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        double e = Math.Exp(x);          // x < 0: e^x / (1 + e^x) cannot overflow (stable for large |x|)
        return e / (1 + e);
    }
    public readonly double Dfdx(double x, double y) => y * (1 - y);
}

internal struct ReluOp : IUnaryOp     // y = max(0, x); dy/dx = [x > 0]  (0 at the kink, as in PyTorch)
{
    public readonly double F(double x) => x > 0 ? x : 0;
    public readonly double Dfdx(double x, double y) => x > 0 ? 1 : 0;
}

internal struct ExpOp : IUnaryOp      // y = eˣ;        dy/dx = y
{
    public readonly double F(double x) => Math.Exp(x);
    public readonly double Dfdx(double x, double y) => y;
}

internal struct LogOp : IUnaryOp      // y = ln x;      dy/dx = 1/x
{
    public readonly double F(double x) => Math.Log(x);
    public readonly double Dfdx(double x, double y) => 1 / x;
}

internal struct SquareOp : IUnaryOp   // y = x²;        dy/dx = 2x
{
    public readonly double F(double x) => x * x;
    public readonly double Dfdx(double x, double y) => 2 * x;
}

internal struct SqrtOp : IUnaryOp     // y = √x;        dy/dx = 1 / (2y)
{
    public readonly double F(double x) => Math.Sqrt(x);
    public readonly double Dfdx(double x, double y) => 0.5 / y;
}

internal struct AbsOp : IUnaryOp      // y = |x|;       dy/dx = sign x  (0 at the kink, as in PyTorch)
{
    public readonly double F(double x) => Math.Abs(x);
    public readonly double Dfdx(double x, double y) => Math.Sign(x);
}

internal readonly struct PowOp(double p) : IUnaryOp   // y = xᵖ;   dy/dx = p xᵖ⁻¹  (0 when p = 0)
{
    public double F(double x) => p == 2 ? x * x : Math.Pow(x, p);
    public double Dfdx(double x, double y) => p == 2 ? 2 * x : p == 0 ? 0 : p * Math.Pow(x, p - 1);
}

internal readonly struct ClampOp(double min, double max) : IUnaryOp   // y = min(max(x, lo), hi);   dy/dx = [lo ≤ x ≤ hi]
{
    public double F(double x) => Math.Min(Math.Max(x, min), max);
    public double Dfdx(double x, double y) => x >= min && x <= max ? 1 : 0;
}

public sealed partial class Tensor
{
    public static Tensor operator -(Tensor x) => Neg(x);
    public static Tensor Neg(Tensor x) => Unary("Neg", x, new NegOp());
    public static Tensor Tanh(Tensor x) => Unary("Tanh", x, new TanhOp());
    public static Tensor Sigmoid(Tensor x) => Unary("Sigmoid", x, new SigmoidOp());

    public Tensor Tanh() => Tanh(this);
    public Tensor Sigmoid() => Sigmoid(this);
    public Tensor Relu() => Unary("Relu", this, new ReluOp());
    public Tensor Exp() => Unary("Exp", this, new ExpOp());
    public Tensor Square() => Unary("Square", this, new SquareOp());
    public Tensor Abs() => Unary("Abs", this, new AbsOp());

    /// <summary>Natural logarithm; every input must be positive.</summary>
    public Tensor Log()
    {
        CheckDomain("Log", v => v > 0, "log is defined only for positive values; add a small epsilon or clamp first");
        return Unary("Log", this, new LogOp());
    }

    /// <summary>Square root; inputs must be ≥ 0, and > 0 when gradients are recorded (d√x/dx is infinite at 0).</summary>
    public Tensor Sqrt()
    {
        if (NeedsGrad(this)) CheckDomain("Sqrt", v => v > 0, "its gradient 1/(2√x) is infinite at 0 and √x is undefined below; use (x + 1e-12).Sqrt() if x can be 0");
        else CheckDomain("Sqrt", v => v >= 0, "the square root of a negative number is undefined");
        return Unary("Sqrt", this, new SqrtOp());
    }

    /// <summary>xᵖ elementwise. A non-integer p needs x ≥ 0; p &lt; 0 needs x ≠ 0; with gradients, 0 &lt; p &lt; 1 also needs x ≠ 0.</summary>
    public Tensor Pow(double p)
    {
        if (!double.IsFinite(p)) throw new RnnLabException($"Pow: the exponent must be finite, got {p}");
        bool integer = p == Math.Floor(p), infiniteSlope = NeedsGrad(this) && p < 1 && p != 0;
        if (!integer) CheckDomain("Pow", v => v >= 0, $"a non-integer power ({p}) of a negative number is undefined");
        if (p < 0 || infiniteSlope) CheckDomain("Pow", v => v != 0, $"x^{p} {(p < 0 ? "is" : "has a gradient that is")} infinite at 0");
        return Unary("Pow", this, new PowOp(p));
    }

    /// <summary>Limits every value to [min, max]; the gradient is 1 inside the range and 0 where a value was clipped.</summary>
    public Tensor Clamp(double min, double max)
    {
        if (!(min <= max)) throw new RnnLabException($"Clamp: min ({min}) must not exceed max ({max})");
        return Unary("Clamp", this, new ClampOp(min, max));
    }

    internal static Tensor Unary<TOp>(string op, Tensor x, TOp f) where TOp : struct, IUnaryOp
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Zeros(x.Shape);
        double[] xs = x.Data, ys = y.Data;
        for (int i = 0; i < xs.Length; i++) ys[i] = f.F(xs[i]);

        return Record(op, y, [x], () =>
        {
            // dX += dY · f'(x)
            double[] dY = y.Grad!, dX = x.GradBuffer();
            for (int i = 0; i < dX.Length; i++) dX[i] += dY[i] * f.Dfdx(xs[i], ys[i]);
        });
    }

    // Throws naming the op, the first offending element and the shape, instead of letting a NaN through.
    private void CheckDomain(string op, Func<double, bool> ok, string why)
    {
        for (int i = 0; i < Size; i++)
            if (!ok(Data[i]))
                throw new RnnLabException($"{op}: input of shape {ShapeString(Shape)} has {Data[i]} at index {ShapeString(UnravelIndex(i, Shape))}: {why}");
    }

    /// <summary>The multi-index of a flat (row-major) position.</summary>
    internal static int[] UnravelIndex(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0 && shape[d] > 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
