namespace RnnLab.Autodiff;

/// <summary>An elementwise op y = f(x) whose derivative is written in terms of x and y.</summary>
internal interface IUnaryOp
{
    static abstract double F(double x);
    static abstract double Dfdx(double x, double y);
}

internal struct NegOp : IUnaryOp      // y = −x;        dy/dx = −1
{
    public static double F(double x) => -x;
    public static double Dfdx(double x, double y) => -1;
}

internal struct TanhOp : IUnaryOp     // y = tanh x;    dy/dx = 1 − y²
{
    public static double F(double x) => Math.Tanh(x);
    public static double Dfdx(double x, double y) => 1 - y * y;
}

internal struct SigmoidOp : IUnaryOp  // y = σ(x) = 1 / (1 + e^−x);   dy/dx = y (1 − y)
{
    public static double F(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));   // stable for large |x|
    public static double Dfdx(double x, double y) => y * (1 - y);
}

public sealed partial class Tensor
{
    public static Tensor operator -(Tensor x) => Neg(x);
    public static Tensor Neg(Tensor x) => Unary<NegOp>("Neg", x);
    public static Tensor Tanh(Tensor x) => Unary<TanhOp>("Tanh", x);
    public static Tensor Sigmoid(Tensor x) => Unary<SigmoidOp>("Sigmoid", x);

    public Tensor Tanh() => Tanh(this);
    public Tensor Sigmoid() => Sigmoid(this);

    internal static Tensor Unary<TOp>(string op, Tensor x) where TOp : IUnaryOp
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = Zeros(x.Shape);
        double[] xs = x.Data, ys = y.Data;
        for (int i = 0; i < xs.Length; i++) ys[i] = TOp.F(xs[i]);

        return Record(op, y, [x], () =>
        {
            // dX += dY · f'(x)
            double[] dY = y.Grad!, dX = x.GradBuffer();
            for (int i = 0; i < dX.Length; i++) dX[i] += dY[i] * TOp.Dfdx(xs[i], ys[i]);
        });
    }
}
