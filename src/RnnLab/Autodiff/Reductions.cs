namespace RnnLab.Autodiff;

// Reductions: sum and mean, over everything or along one axis.
public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a scalar (shape []).</summary>
    public Tensor Sum() => Reduce("Sum", scaleByCount: false);

    /// <summary>The mean of all elements, as a scalar (shape []).</summary>
    public Tensor Mean()
    {
        if (Size == 0) throw new RnnLabException($"Mean: the mean of an empty tensor ({ShapeString(Shape)}) is undefined");
        return Reduce("Mean", scaleByCount: true);
    }

    /// <summary>Sums along <paramref name="axis"/>: [B, H].Sum(0) → [H]; with keepDim → [1, H].</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Reduce("Sum", axis, keepDim, scaleByCount: false);

    /// <summary>Averages along <paramref name="axis"/>: [B, H].Mean(1) → [B]; with keepDim → [B, 1].</summary>
    public Tensor Mean(int axis, bool keepDim = false)
    {
        int ax = Axis("Mean", axis, Shape);
        if (Shape[ax] == 0) throw new RnnLabException($"Mean: axis {ax} of {ShapeString(Shape)} is empty; its mean is undefined");
        return Reduce("Mean", ax, keepDim, scaleByCount: true);
    }

    // y = c Σ_i x_i with c = 1 (sum) or 1/n (mean);   dX_i += c · dY
    private Tensor Reduce(string op, bool scaleByCount)
    {
        var x = this;
        double c = scaleByCount ? 1.0 / Size : 1.0, s = 0;
        foreach (double v in Data) s += v;
        var y = Scalar(c * s);
        return Record(op, y, [x], () =>
        {
            double g = c * y.Grad![0];
            var dX = x.GradBuffer();
            for (int i = 0; i < dX.Length; i++) dX[i] += g;
        });
    }

    // Y[o, k] = c Σ_j X[o, j, k] with c = 1 (sum) or 1/n (mean);   dX[o, j, k] += c · dY[o, k]
    private Tensor Reduce(string op, int axis, bool keepDim, bool scaleByCount)
    {
        var x = this;
        int ax = Axis(op, axis, Shape);
        var (outer, n, inner) = AroundAxis(Shape, ax);
        double c = scaleByCount ? 1.0 / n : 1.0;
        var shape = keepDim ? Shape.Select((d, i) => i == ax ? 1 : d).ToArray() : Shape.Where((_, i) => i != ax).ToArray();
        var y = Zeros(shape);
        for (int o = 0; o < outer; o++)
        {
            var yo = y.Data.AsSpan(o * inner, inner);
            for (int j = 0; j < n; j++) Gemm.Axpy(1, x.Data.AsSpan((o * n + j) * inner, inner), yo);
            for (int k = 0; k < inner; k++) yo[k] *= c;
        }

        return Record(op, y, [x], () =>
        {
            var dX = x.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var dYo = y.Grad.AsSpan(o * inner, inner);
                for (int j = 0; j < n; j++) Gemm.Axpy(c, dYo, dX.AsSpan((o * n + j) * inner, inner));
            }
        });
    }
}
