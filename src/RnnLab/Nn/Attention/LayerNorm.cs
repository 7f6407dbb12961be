using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Layer normalisation (Ba et al. 2016) as PyTorch's <c>nn.LayerNorm</c> over the last axis of size D:
/// y = γ ⊙ (x − μ) / √(σ² + ε) + β, with <c>weight</c> γ [D] (ones) and <c>bias</c> β [D] (zeros).
/// Each position is normalised on its own, so it works the same at any batch size or sequence length.
/// </summary>
public sealed class LayerNorm : Module
{
    public int NormalizedShape { get; }
    public double Eps { get; }
    public Tensor Weight { get; }   // γ [D]
    public Tensor Bias { get; }     // β [D]

    public LayerNorm(int normalizedShape, double eps = 1e-5)
    {
        if (normalizedShape < 1) throw new RnnLabException($"LayerNorm: normalizedShape must be positive, got {normalizedShape}");
        NormalizedShape = normalizedShape; Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedShape));
    }

    public Tensor Forward(Tensor x) => Tensor.LayerNorm(x, Weight, Bias, Eps);
}
