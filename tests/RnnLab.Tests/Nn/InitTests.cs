using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Nn;

public sealed class InitTests
{
    private static double[,] Gram(Tensor w, bool rows)
    {
        int r = w.Shape[0], c = w.Shape[1], n = rows ? r : c;
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                if (rows) for (int k = 0; k < c; k++) s += w[i, k] * w[j, k];
                else for (int k = 0; k < r; k++) s += w[k, i] * w[k, j];
                g[i, j] = s;
            }
        return g;
    }

    [Theory]
    [InlineData(6, 6, 1.0)]
    [InlineData(12, 4, 1.0)]   // tall: orthonormal columns
    [InlineData(3, 7, 2.0)]    // wide: orthonormal rows
    public void Orthogonal_gives_orthonormal_rows_or_columns_times_gain(int rows, int cols, double gain)
    {
        var w = Tensor.Zeros(rows, cols);
        Init.Orthogonal(w, new Rng(5), gain);
        var g = Gram(w, rows: rows < cols);
        for (int i = 0; i < g.GetLength(0); i++)
            for (int j = 0; j < g.GetLength(0); j++)
                Assert.Equal(i == j ? gain * gain : 0, g[i, j], 1e-12);
    }

    [Fact]
    public void Orthogonal_is_deterministic_for_a_seed_and_differs_across_seeds()
    {
        Tensor Make(ulong seed) { var w = Tensor.Zeros(5, 5); Init.Orthogonal(w, new Rng(seed)); return w; }
        Assert.Equal(Make(3).Data, Make(3).Data);
        Assert.NotEqual(Make(3).Data, Make(4).Data);
    }

    [Fact]
    public void Xavier_uniform_stays_in_its_bound_and_fills_it()
    {
        var w = Tensor.Zeros(40, 60);
        Init.XavierUniform(w, new Rng(1));
        double bound = Math.Sqrt(6.0 / 100);
        Assert.All(w.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Data.Max() > 0.9 * bound && w.Data.Min() < -0.9 * bound);
    }

    [Fact]
    public void Identity_and_errors()
    {
        var w = Tensor.Full(3, 3, 3);
        Init.Identity(w, 0.5);
        Assert.Equal([0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5], w.Data);
        Assert.Throws<RnnLabException>(() => Init.Identity(Tensor.Zeros(2, 3)));
        Assert.Throws<RnnLabException>(() => Init.Orthogonal(Tensor.Zeros(3), new Rng(0)));
    }
}
