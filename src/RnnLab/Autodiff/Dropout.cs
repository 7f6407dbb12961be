namespace RnnLab.Autodiff;

public sealed partial class Tensor
{
    /// <summary>
    /// Inverted dropout: while training, each element is zeroed with probability <paramref name="p"/> (drawn
    /// from <paramref name="rng"/>) and the survivors are scaled by 1/(1 − p), so the expected value is
    /// unchanged and evaluation needs no rescaling. When not training it returns this tensor unchanged.
    /// </summary>
    public Tensor Dropout(double p, Rng rng, bool training)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0 && p <= 1)) throw new RnnLabException($"Dropout: p is the probability of dropping an element and must be in [0, 1], got {p}");
        if (!training || p == 0) return this;

        // y_i = m_i x_i with m_i = 0 (probability p) or 1/(1 − p);   dX_i = m_i dY_i
        var x = this;
        var mask = RecycledArrays.Zeroed(Size);
        double keep = p == 1 ? 0 : 1 / (1 - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < p ? 0 : keep;
        var y = Zeros(Shape);
        for (int i = 0; i < mask.Length; i++) y.Data[i] = mask[i] * x.Data[i];

        return Record("Dropout", y, [x], () =>
        {
            double[] dY = y.Grad!, dX = x.GradBuffer();
            for (int i = 0; i < dX.Length; i++) dX[i] += mask[i] * dY[i];
        });
    }
}
