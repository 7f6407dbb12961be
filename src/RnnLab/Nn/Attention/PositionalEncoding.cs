using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Self-attention by itself cannot tell positions apart (permuting the inputs permutes the outputs), so each
/// position gets a fixed vector added to its embedding (Vaswani et al. 2017):
/// PE(pos, 2i) = sin(pos / 10000^{2i/D}),  PE(pos, 2i+1) = cos(pos / 10000^{2i/D}).
/// Each pair of dimensions is a clock at its own frequency, so PE(pos + k) is a rotation of PE(pos).
/// </summary>
public static class PositionalEncoding
{
    /// <summary>The table [T, D] (a constant: it has no gradient). Add it to x [B, T, D]; it broadcasts over the batch.</summary>
    public static Tensor Sinusoidal(int steps, int dim)
    {
        if (steps < 1 || dim < 1) throw new RnnLabException($"PositionalEncoding: steps and dim must be positive, got {steps} and {dim}");
        var pe = Tensor.Zeros(steps, dim);                                             // [T, D]
        for (int pos = 0; pos < steps; pos++)
            for (int i = 0; 2 * i < dim; i++)
            {
                double angle = pos / Math.Pow(10000, 2.0 * i / dim);
                pe.Data[pos * dim + 2 * i] = Math.Sin(angle);
                if (2 * i + 1 < dim) pe.Data[pos * dim + 2 * i + 1] = Math.Cos(angle);
            }
        return pe;
    }
}
