namespace RnnLab.Autodiff;

/// <summary>A binary elementwise op y = f(a, b) with its two partial derivatives.</summary>
internal interface IBinaryOp
{
    static abstract double F(double a, double b);
    static abstract double DfDa(double a, double b);
    static abstract double DfDb(double a, double b);
}

internal struct AddOp : IBinaryOp   // y = a + b;  ∂y/∂a = 1, ∂y/∂b = 1
{
    public static double F(double a, double b) => a + b;
    public static double DfDa(double a, double b) => 1;
    public static double DfDb(double a, double b) => 1;
}

internal struct SubOp : IBinaryOp   // y = a − b;  ∂y/∂a = 1, ∂y/∂b = −1
{
    public static double F(double a, double b) => a - b;
    public static double DfDa(double a, double b) => 1;
    public static double DfDb(double a, double b) => -1;
}

internal struct MulOp : IBinaryOp   // y = a · b;  ∂y/∂a = b, ∂y/∂b = a
{
    public static double F(double a, double b) => a * b;
    public static double DfDa(double a, double b) => b;
    public static double DfDb(double a, double b) => a;
}

internal struct DivOp : IBinaryOp   // y = a / b;  ∂y/∂a = 1/b, ∂y/∂b = −a/b²
{
    public static double F(double a, double b) => a / b;
    public static double DfDa(double a, double b) => 1 / b;
    public static double DfDb(double a, double b) => -a / (b * b);
}

public sealed partial class Tensor
{
    /// <summary>a + b, elementwise, with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary<AddOp>("Add", a, b);
    /// <summary>a − b, elementwise, with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary<SubOp>("Sub", a, b);
    /// <summary>a · b, elementwise (Hadamard), with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary<MulOp>("Mul", a, b);
    /// <summary>a / b, elementwise, with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary<DivOp>("Div", a, b);

    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    public static Tensor operator +(Tensor a, double b) => Add(a, Scalar(b));
    public static Tensor operator +(double a, Tensor b) => Add(Scalar(a), b);
    public static Tensor operator -(Tensor a, double b) => Sub(a, Scalar(b));
    public static Tensor operator -(double a, Tensor b) => Sub(Scalar(a), b);
    public static Tensor operator *(Tensor a, double b) => Mul(a, Scalar(b));
    public static Tensor operator *(double a, Tensor b) => Mul(Scalar(a), b);
    public static Tensor operator /(Tensor a, double b) => Div(a, Scalar(b));
    public static Tensor operator /(double a, Tensor b) => Div(Scalar(a), b);

    private static Tensor Binary<TOp>(string op, Tensor a, Tensor b) where TOp : IBinaryOp
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = Broadcast.Shape(op, a.Shape, b.Shape);
        var y = Zeros(shape);
        var forward = new BinaryForward<TOp>(a.Data, b.Data, y.Data);
        BroadcastLoop.Run(shape, a.Shape, b.Shape, ref forward);

        return Record(op, y, [a, b], () =>
        {
            // dA[ia] += dY[o] · ∂f/∂a(a, b), summed over every o that a's element was broadcast to; same for b.
            var backward = new BinaryBackward<TOp>(a.Data, b.Data, y.Grad!,
                a.RequiresGrad ? a.GradBuffer() : null, b.RequiresGrad ? b.GradBuffer() : null);
            BroadcastLoop.Run(shape, a.Shape, b.Shape, ref backward);
        });
    }

    private struct BinaryForward<TOp>(double[] a, double[] b, double[] y) : IBroadcastKernel where TOp : IBinaryOp
    {
        public readonly void Run(int o, int ia, int ib) => y[o] = TOp.F(a[ia], b[ib]);
    }

    private struct BinaryBackward<TOp>(double[] a, double[] b, double[] dY, double[]? dA, double[]? dB) : IBroadcastKernel where TOp : IBinaryOp
    {
        public readonly void Run(int o, int ia, int ib)
        {
            if (dA is not null) dA[ia] += dY[o] * TOp.DfDa(a[ia], b[ib]);
            if (dB is not null) dB[ib] += dY[o] * TOp.DfDb(a[ia], b[ib]);
        }
    }
}
