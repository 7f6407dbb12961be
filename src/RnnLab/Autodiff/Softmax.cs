namespace RnnLab.Autodiff;

// Softmax and log-softmax along one axis, numerically stable: subtracting the maximum
// m = max_j x_j first leaves the result unchanged and keeps every exponent ≤ 0.
public sealed partial class Tensor
{
    /// <summary>y_j = e^{x_j} / Σ_k e^{x_k} along <paramref name="axis"/> (default: the last).</summary>
    public Tensor Softmax(int axis = -1)
    {
        var x = this;
        int ax = Axis("Softmax", axis, Shape);
        var (outer, n, inner) = AroundAxis(Shape, ax);
        var y = Zeros(Shape);
        ForEachLine(outer, n, inner, baseIdx =>
        {
            // y_j = e^{x_j − m} / Σ_k e^{x_k − m}
            double m = LineMax(x.Data, baseIdx, n, inner), z = 0;
            for (int j = 0, i = baseIdx; j < n; j++, i += inner) z += y.Data[i] = Math.Exp(x.Data[i] - m);
            for (int j = 0, i = baseIdx; j < n; j++, i += inner) y.Data[i] /= z;
        });

        return Record("Softmax", y, [x], () =>
        {
            // dx_j = y_j (dy_j − Σ_k dy_k y_k)
            double[] dY = y.Grad!, dX = x.GradBuffer();
            ForEachLine(outer, n, inner, baseIdx =>
            {
                double dot = 0;
                for (int j = 0, i = baseIdx; j < n; j++, i += inner) dot += dY[i] * y.Data[i];
                for (int j = 0, i = baseIdx; j < n; j++, i += inner) dX[i] += y.Data[i] * (dY[i] - dot);
            });
        });
    }

    /// <summary>y_j = x_j − log Σ_k e^{x_k} along <paramref name="axis"/> (default: the last).</summary>
    public Tensor LogSoftmax(int axis = -1)
    {
        var x = this;
        int ax = Axis("LogSoftmax", axis, Shape);
        var (outer, n, inner) = AroundAxis(Shape, ax);
        var y = Zeros(Shape);
        ForEachLine(outer, n, inner, baseIdx =>
        {
            // y_j = x_j − (m + log Σ_k e^{x_k − m})
            double lse = LogSumExp(x.Data, baseIdx, n, inner);
            for (int j = 0, i = baseIdx; j < n; j++, i += inner) y.Data[i] = x.Data[i] - lse;
        });

        return Record("LogSoftmax", y, [x], () =>
        {
            // dx_j = dy_j − softmax_j Σ_k dy_k,   softmax_j = e^{y_j}
            double[] dY = y.Grad!, dX = x.GradBuffer();
            ForEachLine(outer, n, inner, baseIdx =>
            {
                double sum = 0;
                for (int j = 0, i = baseIdx; j < n; j++, i += inner) sum += dY[i];
                for (int j = 0, i = baseIdx; j < n; j++, i += inner) dX[i] += dY[i] - Math.Exp(y.Data[i]) * sum;
            });
        });
    }

    // Calls body(index of the line's first element) for each of the outer · inner lines along the axis;
    // the line's elements are then at base, base + inner, …, base + (n − 1) · inner.
    private static void ForEachLine(int outer, int n, int inner, Action<int> body)
    {
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < inner; k++) body(o * n * inner + k);
    }

    // m + log Σ_j e^{x_j − m} with m = max_j x_j, over one line.
    internal static double LogSumExp(double[] x, int baseIdx, int n, int stride)
    {
        double m = LineMax(x, baseIdx, n, stride), z = 0;
        if (double.IsNegativeInfinity(m)) return m;   // every entry is −∞
        for (int j = 0, i = baseIdx; j < n; j++, i += stride) z += Math.Exp(x[i] - m);
        return m + Math.Log(z);
    }

    internal static double LineMax(double[] x, int baseIdx, int n, int stride)
    {
        double m = double.NegativeInfinity;
        for (int j = 0, i = baseIdx; j < n; j++, i += stride) m = Math.Max(m, x[i]);
        return m;
    }
}
