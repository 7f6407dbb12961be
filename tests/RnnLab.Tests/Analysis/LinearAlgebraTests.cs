using System.Numerics;
using RnnLab.Analysis;
using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Analysis;

public sealed class LinearAlgebraTests
{
    private static Complex[] Sorted(IEnumerable<Complex> z) => z.OrderBy(c => Math.Round(c.Real, 9)).ThenBy(c => c.Imaginary).ToArray();

    private static void Near(Complex[] expected, Complex[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        var a = Sorted(actual);
        var e = Sorted(expected);
        for (int i = 0; i < e.Length; i++) Assert.True(Complex.Abs(e[i] - a[i]) < tol, $"eigenvalue {i}: expected {e[i]}, got {a[i]}");
    }

    private static double[,] Orthogonal(int n, ulong seed)
    {
        var q = Tensor.Zeros(n, n);
        Init.Orthogonal(q, new Rng(seed));
        return Matrices.FromRowMajor(q.Data, n, n);
    }

    private static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    [Fact]
    public void Rotation_has_a_complex_pair_on_the_unit_circle()
    {
        double th = 0.7;
        var r = new[,] { { Math.Cos(th), -Math.Sin(th) }, { Math.Sin(th), Math.Cos(th) } };
        Near([new Complex(Math.Cos(th), Math.Sin(th)), new Complex(Math.Cos(th), -Math.Sin(th))], Eigen.Eigenvalues(r), 1e-12);
        Assert.Equal(1.0, Eigen.SpectralRadius(r), 1e-12);
        Assert.Equal([1.0, 1.0], Svd.SingularValues(r).Select(s => Math.Round(s, 12)));
    }

    [Fact]
    public void Diagonal_and_nilpotent_matrices()
    {
        var d = new double[4, 4];
        (d[0, 0], d[1, 1], d[2, 2], d[3, 3]) = (3, -5, 0.5, 0);
        Near([3, -5, 0.5, 0], Eigen.Eigenvalues(d), 1e-12);
        Assert.Equal(5.0, Eigen.SpectralRadius(d), 1e-12);
        Assert.Equal([5.0, 3.0, 0.5, 0.0], Svd.SingularValues(d));

        var jordan = new double[5, 5];                        // ones on the superdiagonal: N⁵ = 0
        for (int i = 0; i < 4; i++) jordan[i, i + 1] = 1;
        Assert.Equal(0.0, Eigen.SpectralRadius(jordan), 1e-12);
        Assert.Equal(0.0, Eigen.SpectralRadius(Transpose(jordan)), 1e-12);
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 0.0], Svd.SingularValues(jordan));   // ‖N‖₂ = 1 although ρ(N) = 0
        var strictlyLower = new[,] { { 0.0, 0, 0 }, { 2, 0, 0 }, { -1, 3, 0 } };
        Assert.Equal(0.0, Eigen.SpectralRadius(strictlyLower), 1e-6);
    }

    [Fact]
    public void Hidden_rotation_and_scale_are_found_after_an_orthogonal_change_of_basis()
    {
        // B = blockdiag(2·R(1.1), 0.5, −1.5, 0.25 R(2.0)); A = Q B Qᵀ has B's eigenvalues and singular values
        int n = 7;
        var b = new double[n, n];
        void Rot(int at, double scale, double th)
        {
            b[at, at] = scale * Math.Cos(th); b[at, at + 1] = -scale * Math.Sin(th);
            b[at + 1, at] = scale * Math.Sin(th); b[at + 1, at + 1] = scale * Math.Cos(th);
        }
        Rot(0, 2, 1.1); b[2, 2] = 0.5; b[3, 3] = -1.5; Rot(4, 0.25, 2.0); b[6, 6] = 0.1;
        var q = Orthogonal(n, 3);
        var a = Matrices.Multiply(Matrices.Multiply(q, b), Transpose(q));
        Near([Complex.FromPolarCoordinates(2, 1.1), Complex.FromPolarCoordinates(2, -1.1), 0.5, -1.5,
              Complex.FromPolarCoordinates(0.25, 2.0), Complex.FromPolarCoordinates(0.25, -2.0), 0.1], Eigen.Eigenvalues(a), 1e-10);
        Assert.Equal(2.0, Eigen.SpectralRadius(a), 1e-10);
        var s = Svd.SingularValues(a);
        double[] expected = [2, 2, 1.5, 0.5, 0.25, 0.25, 0.1];
        for (int i = 0; i < n; i++) Assert.Equal(expected[i], s[i], 1e-12);
    }

    [Fact]
    public void Random_matrices_eigenvalues_sum_to_the_trace_and_multiply_to_the_determinant()
    {
        var rng = new Rng(5);
        foreach (int n in new[] { 1, 2, 3, 6, 12, 40 })
        {
            var a = new double[n, n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i, j] = rng.Normal();
            var ev = Eigen.Eigenvalues(a);
            double trace = Enumerable.Range(0, n).Sum(i => a[i, i]);
            Assert.Equal(trace, ev.Aggregate(Complex.Zero, (s, z) => s + z).Real, 1e-8);
            Assert.Equal(0.0, ev.Aggregate(Complex.Zero, (s, z) => s + z).Imaginary, 1e-8);
            // every eigenvalue λ makes A − λI singular: its smallest singular value is ~0 (real λ) — check via |det| = Π|λ|
            double logDet = Enumerable.Sum(Svd.SingularValues(a), Math.Log);   // log|det A| = Σ log σ_i
            Assert.Equal(logDet, ev.Sum(z => Math.Log(Complex.Abs(z))), 1e-7);
            // wide and tall matrices: singular values of A and Aᵀ agree, and Σσ² = ‖A‖_F²
            Assert.Equal(Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, n).Sum(j => a[i, j] * a[i, j])), Svd.SingularValues(a).Sum(s => s * s), 1e-8);
        }
        var wide = new double[2, 5];
        for (int j = 0; j < 5; j++) { wide[0, j] = j; wide[1, j] = 1; }
        Assert.Equal(Svd.SingularValues(wide), Svd.SingularValues(Transpose(wide)));
    }

    [Fact]
    public void Bad_matrices_are_refused()
    {
        Assert.Contains("square", Assert.Throws<RnnLabException>(() => Eigen.Eigenvalues(new double[2, 3])).Message);
        Assert.Contains("NaN", Assert.Throws<RnnLabException>(() => Eigen.Eigenvalues(new[,] { { double.NaN } })).Message);
        Assert.Contains("inner sizes", Assert.Throws<RnnLabException>(() => Matrices.Multiply(new double[2, 3], new double[2, 3])).Message);
    }
}
