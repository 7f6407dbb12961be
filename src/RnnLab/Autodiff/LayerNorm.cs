namespace RnnLab.Autodiff;

// Layer normalisation (Ba, Kiros & Hinton 2016), fused so its backward is exact and cheap.
public sealed partial class Tensor
{
    /// <summary>
    /// Normalises each line along the last axis (size D) to mean 0 and variance 1, then scales and shifts:
    /// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ and σ² the line's mean and (biased) variance, as PyTorch's
    /// <c>layer_norm</c>. <paramref name="gamma"/> and <paramref name="beta"/> are [D].
    /// </summary>
    public static Tensor LayerNorm(Tensor x /* [.., D] */, Tensor gamma /* [D] */, Tensor beta /* [D] */, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        if (x.Rank == 0 || x.Shape[^1] == 0)
            throw new RnnLabException($"LayerNorm: the input needs a non-empty last axis to normalise over; got {ShapeString(x.Shape)}");
        int d = x.Shape[^1], lines = x.Size / d;
        if (gamma.Rank != 1 || gamma.Size != d || beta.Rank != 1 || beta.Size != d)
            throw new RnnLabException($"LayerNorm: gamma and beta must both be [{d}] (the last axis of the input {ShapeString(x.Shape)}); " +
                                      $"got {ShapeString(gamma.Shape)} and {ShapeString(beta.Shape)}");
        if (!(eps > 0)) throw new RnnLabException($"LayerNorm: eps must be positive (it keeps √(σ² + ε) away from 0), got {eps}");

        var xHat = RecycledArrays.Zeroed(x.Size);   // (x − μ) / √(σ² + ε), kept for backward
        var rstd = new double[lines];    // 1 / √(σ² + ε) per line
        var y = Zeros(x.Shape);
        for (int l = 0; l < lines; l++)
        {
            int b = l * d;
            double mean = 0, variance = 0;
            for (int j = 0; j < d; j++) mean += x.Data[b + j];
            mean /= d;                                                              // μ = (1/D) Σ_j x_j
            for (int j = 0; j < d; j++) variance += (x.Data[b + j] - mean) * (x.Data[b + j] - mean);
            variance /= d;                                                          // σ² = (1/D) Σ_j (x_j − μ)²
            rstd[l] = 1 / Math.Sqrt(variance + eps);
            for (int j = 0; j < d; j++)
            {
                xHat[b + j] = (x.Data[b + j] - mean) * rstd[l];                     // x̂_j
                y.Data[b + j] = gamma.Data[j] * xHat[b + j] + beta.Data[j];         // y_j = γ_j x̂_j + β_j
            }
        }

        return Record("LayerNorm", y, [x, gamma, beta], () =>
        {
            // dβ_j = Σ_lines dy_j      dγ_j = Σ_lines dy_j x̂_j      dx̂_j = dy_j γ_j
            // dx_j = (1/√(σ² + ε)) · (dx̂_j − mean_k dx̂_k − x̂_j · mean_k (dx̂_k x̂_k))
            double[] dY = y.Grad!;
            double[]? dX = x.RequiresGrad ? x.GradBuffer() : null;
            double[]? dGamma = gamma.RequiresGrad ? gamma.GradBuffer() : null, dBeta = beta.RequiresGrad ? beta.GradBuffer() : null;
            for (int l = 0; l < lines; l++)
            {
                int b = l * d;
                double meanDxHat = 0, meanDxHatXHat = 0;
                for (int j = 0; j < d; j++)
                {
                    double dxHat = dY[b + j] * gamma.Data[j];
                    meanDxHat += dxHat;
                    meanDxHatXHat += dxHat * xHat[b + j];
                    if (dGamma is not null) dGamma[j] += dY[b + j] * xHat[b + j];
                    if (dBeta is not null) dBeta[j] += dY[b + j];
                }
                if (dX is null) continue;
                meanDxHat /= d; meanDxHatXHat /= d;
                for (int j = 0; j < d; j++)
                    dX[b + j] += rstd[l] * (dY[b + j] * gamma.Data[j] - meanDxHat - xHat[b + j] * meanDxHatXHat);
            }
        });
    }
}
