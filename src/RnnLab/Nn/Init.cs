using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// Weight initialisers (PyTorch's <c>nn.init</c>). Each one overwrites a tensor's values in place
/// and records nothing on the tape. Weights are 2-D [fan_out, fan_in], as in PyTorch.
/// </summary>
public static class Init
{
    /// <summary>Uniform in [−bound, bound). PyTorch's default for recurrent layers uses bound = 1/√H.</summary>
    public static void Uniform(Tensor t, Rng rng, double bound)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(bound >= 0)) throw new RnnLabException($"Init.Uniform: bound must be non-negative, got {bound}");
        for (int i = 0; i < t.Size; i++) t.Data[i] = rng.Uniform(-bound, bound);
    }

    /// <summary>Every value set to <paramref name="value"/>.</summary>
    public static void Constant(Tensor t, double value)
    {
        ArgumentNullException.ThrowIfNull(t);
        Array.Fill(t.Data, value);
    }

    /// <summary>
    /// Xavier/Glorot uniform (Glorot &amp; Bengio 2010): bound = gain·√(6 / (fan_in + fan_out)),
    /// which keeps the variance of activations and of gradients roughly equal from layer to layer.
    /// </summary>
    public static void XavierUniform(Tensor t, Rng rng, double gain = 1.0)
    {
        var (fanIn, fanOut) = Fans("Init.XavierUniform", t);
        Uniform(t, rng, gain * Math.Sqrt(6.0 / (fanIn + fanOut)));
    }

    /// <summary>Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Tensor t, Rng rng, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var (fanIn, fanOut) = Fans("Init.XavierNormal", t);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        for (int i = 0; i < t.Size; i++) t.Data[i] = rng.Normal(0, std);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/> (Saxe, McClelland &amp; Ganguli 2014), as PyTorch's
    /// <c>orthogonal_</c>: draw A ~ N(0, 1) [rows, cols], take A = QR (transposing first when rows &lt; cols),
    /// fix the signs with diag(R) so Q is uniformly distributed, and write gain·Q. All singular values are
    /// then exactly gain, so repeated multiplication neither shrinks nor blows up a vector.
    /// </summary>
    public static void Orthogonal(Tensor t, Rng rng, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(rng);
        if (t.Rank != 2) throw new RnnLabException($"Init.Orthogonal: needs a 2-D weight, got {Tensor.ShapeString(t.Shape)}");
        int rows = t.Shape[0], cols = t.Shape[1];
        bool transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;   // m ≥ n
        var a = new double[m, n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) a[i, j] = rng.Normal();
        var q = Qr.OrthonormalColumns(a);                               // [m, n], QᵀQ = I
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                if (transpose) t.Data[j * cols + i] = gain * q[i, j];
                else t.Data[i * cols + j] = gain * q[i, j];
            }
    }

    /// <summary>
    /// gain·I for a square weight (PyTorch's <c>eye_</c>, times gain). With zero biases and ReLU this is the
    /// IRNN of Le, Jaitly &amp; Hinton (2015): at the start the hidden state is copied unchanged from step to step.
    /// </summary>
    public static void Identity(Tensor t, double gain = 1.0)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Rank != 2 || t.Shape[0] != t.Shape[1])
            throw new RnnLabException($"Init.Identity: needs a square 2-D weight, got {Tensor.ShapeString(t.Shape)}");
        Array.Clear(t.Data);
        for (int i = 0; i < t.Shape[0]; i++) t.Data[i * t.Shape[1] + i] = gain;
    }

    private static (int FanIn, int FanOut) Fans(string op, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Rank != 2) throw new RnnLabException($"{op}: needs a 2-D weight [fan_out, fan_in], got {Tensor.ShapeString(t.Shape)}");
        return (t.Shape[1], t.Shape[0]);
    }
}
