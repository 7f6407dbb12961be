namespace RnnLab.Analysis;

/// <summary>
/// Singular values by the one-sided Jacobi method (Hestenes 1958): rotate pairs of columns of A until all columns are
/// mutually orthogonal; then A·V = U·Σ, and the column norms are the singular values. Slow (O(n³) per sweep, a few
/// sweeps) but short, exact to rounding, and fine for the H ≤ 256 matrices of the lessons.
/// </summary>
public static class Svd
{
    /// <summary>σ_1 ≥ σ_2 ≥ … ≥ σ_min(m,n) ≥ 0 of the [m, n] matrix A.</summary>
    public static double[] SingularValues(double[,] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        int m = a.GetLength(0), n = a.GetLength(1);
        // Rotate the columns of A, or of Aᵀ when A is wide (same singular values): min(m, n) columns either way.
        double[][] cols = m >= n
            ? Enumerable.Range(0, n).Select(j => Enumerable.Range(0, m).Select(i => a[i, j]).ToArray()).ToArray()
            : Enumerable.Range(0, m).Select(i => Enumerable.Range(0, n).Select(j => a[i, j]).ToArray()).ToArray();
        foreach (var c in cols)
            foreach (double v in c)
                if (!double.IsFinite(v)) throw new RnnLabException("Svd.SingularValues: the matrix contains NaN or Inf");

        const double eps = 1e-15;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < cols.Length - 1; p++)
                for (int q = p + 1; q < cols.Length; q++)
                {
                    double alpha = Dot(cols[p], cols[p]), beta = Dot(cols[q], cols[q]), gamma = Dot(cols[p], cols[q]);
                    if (Math.Abs(gamma) <= eps * Math.Sqrt(alpha * beta) || gamma == 0) continue;
                    rotated = true;
                    // The rotation [c s; −s c] that makes columns p and q orthogonal:
                    // ζ = (β − α) / 2γ,  t = sign(ζ) / (|ζ| + √(1 + ζ²)),  c = 1/√(1 + t²),  s = c·t
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    var (u, v) = (cols[p], cols[q]);
                    for (int i = 0; i < u.Length; i++)
                    {
                        double ui = u[i], vi = v[i];
                        u[i] = c * ui - s * vi;
                        v[i] = s * ui + c * vi;
                    }
                }
            if (!rotated) break;
        }
        return cols.Select(c => Math.Sqrt(Dot(c, c))).OrderDescending().ToArray();
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
