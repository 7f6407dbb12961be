namespace RnnLab.Autodiff;

// Loss functions: each returns a scalar (shape []) ready for Backward().
public sealed partial class Tensor
{
    /// <summary>
    /// Softmax cross-entropy from raw scores, fused and stable (like <c>torch.nn.functional.cross_entropy</c>):
    /// L = (1/N') Σ_n [log Σ_c e^{z_nc} − z_{n,t_n}], averaged over the N' rows whose target is not
    /// <paramref name="ignoreIndex"/>. <paramref name="logits"/> is [N, C]; <paramref name="targets"/> has N class indices.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits /* [N, C] */, int[] targets, int ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 2)
            throw new RnnLabException($"CrossEntropy: logits must be [N, C] (one row of class scores per example); got {ShapeString(logits.Shape)}. " +
                                      "Flatten time and batch first, e.g. logits.Reshape(-1, C).");
        int rows = logits.Shape[0], classes = logits.Shape[1];
        if (targets.Length != rows)
            throw new RnnLabException($"CrossEntropy: logits {ShapeString(logits.Shape)} have {rows} rows but {targets.Length} targets were given");
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (targets[r] == ignoreIndex) continue;
            if ((uint)targets[r] >= (uint)classes)
                throw new RnnLabException($"CrossEntropy: target {targets[r]} at position {r} is not a class index in 0 … {classes - 1} " +
                                          $"(logits {ShapeString(logits.Shape)}; ignoreIndex is {ignoreIndex})");
            count++;
        }
        if (count == 0)
            throw new RnnLabException($"CrossEntropy: every one of the {rows} targets equals ignoreIndex {ignoreIndex}; the mean loss over no examples is undefined");

        // L = (1/N') Σ_n (lse_n − z_{n,t_n}); keep lse_n for backward. Rows split over threads; the sum runs in row order.
        var lse = new double[rows];
        var t = (int[])targets.Clone();
        Parallelism.For(rows, classes * 16L, (r0, r1) =>
        {
            for (int r = r0; r < r1; r++)
                if (t[r] != ignoreIndex) lse[r] = LogSumExp(logits.Data, r * classes, classes, 1);
        });
        double total = 0;
        for (int r = 0; r < rows; r++)
            if (t[r] != ignoreIndex) total += lse[r] - logits.Data[r * classes + t[r]];
        var y = Scalar(total / count);

        return Record("CrossEntropy", y, [logits], () =>
        {
            // dz_nc = dL/N' · (softmax(z_n)_c − [c = t_n]);  ignored rows get nothing.
            double g = y.Grad![0] / count;
            var dZ = logits.GradBuffer();
            Parallelism.For(rows, classes * 16L, (r0, r1) =>
            {
                for (int r = r0; r < r1; r++)
                {
                    if (t[r] == ignoreIndex) continue;
                    int row = r * classes;
                    for (int c = 0; c < classes; c++) dZ[row + c] += g * Math.Exp(logits.Data[row + c] - lse[r]);
                    dZ[row + t[r]] -= g;
                }
            });
        });
    }

    /// <summary>Mean squared error L = (1/n) Σ_i (p_i − t_i)²; prediction and target must have the same shape.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new RnnLabException($"MseLoss: prediction {ShapeString(prediction.Shape)} and target {ShapeString(target.Shape)} must have the same shape");
        if (prediction.Size == 0)
            throw new RnnLabException($"MseLoss: prediction and target are empty ({ShapeString(prediction.Shape)}); the mean is undefined");
        int n = prediction.Size;
        double[] p = prediction.Data, t = target.Data;
        double s = 0;
        for (int i = 0; i < n; i++) s += (p[i] - t[i]) * (p[i] - t[i]);
        var y = Scalar(s / n);

        return Record("MseLoss", y, [prediction, target], () =>
        {
            // dp_i = dL · 2 (p_i − t_i) / n;   dt_i = −dp_i
            double g = 2 * y.Grad![0] / n;
            if (prediction.RequiresGrad) { var dP = prediction.GradBuffer(); for (int i = 0; i < n; i++) dP[i] += g * (p[i] - t[i]); }
            if (target.RequiresGrad) { var dT = target.GradBuffer(); for (int i = 0; i < n; i++) dT[i] -= g * (p[i] - t[i]); }
        });
    }
}
