namespace RnnLab.Autodiff;

// Softmax over the positions a mask allows: attention must not look at padding or at the future.
public sealed partial class Tensor
{
    /// <summary>
    /// Softmax along the last axis over the allowed positions only: y_j = e^{x_j} / Σ_{k allowed} e^{x_k} where
    /// <paramref name="allowed"/>[j] is true, and y_j = 0 EXACTLY where it is false (not a tiny number from a large
    /// negative score). <paramref name="allowed"/> has one flag per element, row-major like <see cref="Data"/>.
    /// Every line must allow at least one position: a weighting over nothing is undefined.
    /// </summary>
    public Tensor MaskedSoftmax(bool[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (Rank == 0) throw new RnnLabException("MaskedSoftmax: a scalar (shape []) has no axis to normalise over");
        if (allowed.Length != Size)
            throw new RnnLabException($"MaskedSoftmax: the mask has {allowed.Length} flags but the scores {ShapeString(Shape)} have {Size} values; " +
                                      "build the mask for the full score shape (e.g. [B, Tq, Tk])");
        var x = this;
        int n = Shape[^1], lines = n == 0 ? 0 : Size / n;
        var keep = (bool[])allowed.Clone();
        var y = Zeros(Shape);
        for (int line = 0; line < lines; line++)
        {
            // y_j = [j allowed] e^{x_j − m} / Σ_{k allowed} e^{x_k − m},   m = max over allowed x_k
            int b = line * n;
            double m = double.NegativeInfinity, z = 0;
            for (int j = b; j < b + n; j++) if (keep[j]) m = Math.Max(m, x.Data[j]);
            if (double.IsNegativeInfinity(m))
                throw new RnnLabException($"MaskedSoftmax: line {line} of the scores {ShapeString(Shape)} has every position masked; " +
                                          "each query must be allowed to attend to at least one key (check sequence lengths are ≥ 1)");
            for (int j = b; j < b + n; j++) if (keep[j]) z += y.Data[j] = Math.Exp(x.Data[j] - m);
            for (int j = b; j < b + n; j++) y.Data[j] /= z;
        }

        return Record("MaskedSoftmax", y, [x], () =>
        {
            // dx_j = y_j (dy_j − Σ_k dy_k y_k); masked positions have y_j = 0, so they get no gradient.
            double[] dY = y.Grad!, dX = x.GradBuffer();
            for (int line = 0; line < lines; line++)
            {
                int b = line * n;
                double dot = 0;
                for (int j = b; j < b + n; j++) dot += dY[j] * y.Data[j];
                for (int j = b; j < b + n; j++) dX[j] += y.Data[j] * (dY[j] - dot);
            }
        });
    }
}
