using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// y = x Wᵀ + b (PyTorch's <c>nn.Linear</c>): <c>weight</c> [out, in], <c>bias</c> [out].
/// Input [B, in] or [T, B, in]; output [B, out] or [T, B, out].
/// Initialised like PyTorch: weight and bias uniform in ±1/√in.
/// </summary>
public sealed class Linear : Module
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }   // [out, in]
    public Tensor? Bias { get; }    // [out]

    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures < 1 || outFeatures < 1)
            throw new RnnLabException($"Linear: sizes must be positive, got in {inFeatures}, out {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(rng, -bound, bound, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(rng, -bound, bound, outFeatures));
    }

    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is < 2 or > 3 || x.Shape[^1] != InFeatures)
            throw new RnnLabException($"Linear: expected input [B, {InFeatures}] or [T, B, {InFeatures}], got {Tensor.ShapeString(x.Shape)}");
        return Tensor.Linear(x, Weight, Bias);               // [.., out] = x Wᵀ + b, one op
    }
}
