using System.Numerics;

namespace RnnLab.Analysis;

/// <summary>
/// Eigenvalues of a general real square matrix, which may be complex (a rotation has e^{±iθ}), and the spectral radius.
/// The classic two-stage method (EISPACK's elmhes + hqr, as presented in Numerical Recipes §11.5–11.6):
/// <list type="number">
/// <item>reduce A to upper Hessenberg form H (zeros below the first subdiagonal) by similarity transforms
///   (Gaussian elimination with pivoting), which keeps the eigenvalues;</item>
/// <item>run the Francis double-shift QR iteration on H: each sweep is a similarity transform that drives the
///   subdiagonal to zero, splitting off 1×1 blocks (real eigenvalues) and 2×2 blocks (complex pairs).</item>
/// </list>
/// Arrays here are 1-based (index 0 unused), following that classic presentation line by line.
/// </summary>
public static class Eigen
{
    /// <summary>All n eigenvalues of the [n, n] matrix A (complex pairs as conjugates), in no particular order.</summary>
    public static Complex[] Eigenvalues(double[,] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        int n = a.GetLength(0);
        if (a.GetLength(1) != n) throw new RnnLabException($"Eigen.Eigenvalues: the matrix must be square, got [{n}, {a.GetLength(1)}]");
        var h = new double[n + 1, n + 1];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(a[i, j])) throw new RnnLabException($"Eigen.Eigenvalues: element [{i}, {j}] is {a[i, j]}; the matrix must be finite");
                h[i + 1, j + 1] = a[i, j];
            }
        ReduceToHessenberg(h, n);
        var (wr, wi) = HessenbergQr(h, n);
        return Enumerable.Range(1, n).Select(i => new Complex(wr[i], wi[i])).ToArray();
    }

    /// <summary>ρ(A) = max |λ_i|: how much A stretches its most persistent direction per step in the long run.</summary>
    public static double SpectralRadius(double[,] a) => Eigenvalues(a).Select(Complex.Abs).DefaultIfEmpty(0).Max();

    // elmhes: for m = 2 … n−1, pivot the largest entry of column m−1 (rows m … n) onto the subdiagonal, then eliminate
    // below it; each row operation is paired with the inverse column operation, so H = S⁻¹ A S has A's eigenvalues.
    private static void ReduceToHessenberg(double[,] a, int n)
    {
        for (int m = 2; m < n; m++)
        {
            double x = 0;
            int i = m;
            for (int j = m; j <= n; j++)
                if (Math.Abs(a[j, m - 1]) > Math.Abs(x)) { x = a[j, m - 1]; i = j; }
            if (i != m)
            {
                for (int j = m - 1; j <= n; j++) (a[i, j], a[m, j]) = (a[m, j], a[i, j]);
                for (int j = 1; j <= n; j++) (a[j, i], a[j, m]) = (a[j, m], a[j, i]);
            }
            if (x == 0) continue;
            for (i = m + 1; i <= n; i++)
            {
                double y = a[i, m - 1];
                if (y == 0) continue;
                y /= x;
                a[i, m - 1] = 0;                                  // eliminated (the multiplier y is not kept)
                for (int j = m; j <= n; j++) a[i, j] -= y * a[m, j];
                for (int j = 1; j <= n; j++) a[j, m] += y * a[j, i];
            }
        }
    }

    // hqr: shifted QR on the Hessenberg matrix. Look for a negligible subdiagonal element a[l, l−1]; if the active block
    // has shrunk to 1×1 or 2×2, read its eigenvalues off and deflate; otherwise do one Francis double-shift sweep
    // (shifts = eigenvalues of the trailing 2×2 block, applied implicitly with 3×3 Householder reflections).
    // After 10 and 20 fruitless iterations an "exceptional shift" breaks cycles (e.g. for a rotation-like block).
    private static (double[] Re, double[] Im) HessenbergQr(double[,] a, int n)
    {
        var wr = new double[n + 1];
        var wi = new double[n + 1];
        double anorm = 0;
        for (int i = 1; i <= n; i++)
            for (int j = Math.Max(i - 1, 1); j <= n; j++) anorm += Math.Abs(a[i, j]);
        int nn = n;
        double t = 0;   // accumulated exceptional shifts
        while (nn >= 1)
        {
            int its = 0, l;
            do
            {
                for (l = nn; l >= 2; l--)
                {
                    double s0 = Math.Abs(a[l - 1, l - 1]) + Math.Abs(a[l, l]);
                    if (s0 == 0) s0 = anorm;
                    if (Math.Abs(a[l, l - 1]) + s0 == s0) { a[l, l - 1] = 0; break; }
                }
                double x = a[nn, nn];
                if (l == nn)
                {
                    wr[nn] = x + t; wi[nn--] = 0;                                      // one real root
                }
                else
                {
                    double y = a[nn - 1, nn - 1], w = a[nn, nn - 1] * a[nn - 1, nn];
                    if (l == nn - 1)
                    {
                        // the trailing 2×2 block [y ·; · x]: λ = (x + y)/2 ± √(((y − x)/2)² + w)
                        double p = 0.5 * (y - x), q = p * p + w, z = Math.Sqrt(Math.Abs(q));
                        x += t;
                        if (q >= 0)
                        {
                            z = p + (p >= 0 ? Math.Abs(z) : -Math.Abs(z));                  // a real pair
                            wr[nn - 1] = wr[nn] = x + z;
                            if (z != 0) wr[nn] = x - w / z;
                            wi[nn - 1] = wi[nn] = 0;
                        }
                        else
                        {
                            wr[nn - 1] = wr[nn] = x + p;                                    // a complex pair
                            wi[nn - 1] = -(wi[nn] = z);
                        }
                        nn -= 2;
                    }
                    else
                    {
                        if (its == 60) throw new RnnLabException("Eigen.Eigenvalues: the QR iteration did not converge in 60 iterations");
                        if (its == 10 || its == 20 || its == 40)
                        {
                            t += x;
                            for (int i = 1; i <= nn; i++) a[i, i] -= x;
                            double s1 = Math.Abs(a[nn, nn - 1]) + Math.Abs(a[nn - 1, nn - 2]);
                            y = x = 0.75 * s1;
                            w = -0.4375 * s1 * s1;
                        }
                        ++its;
                        FrancisSweep(a, l, nn, x, y, w);
                    }
                }
            } while (l < nn - 1);
        }
        return (wr, wi);
    }

    // One implicit double-shift QR sweep on rows/columns l … nn (shifts given through x, y, w).
    private static void FrancisSweep(double[,] a, int l, int nn, double x, double y, double w)
    {
        int m;
        double p = 0, q = 0, r = 0, z;
        for (m = nn - 2; m >= l; m--)
        {
            // first column of (H − λ₁)(H − λ₂), looking for two consecutive small subdiagonals to start from
            z = a[m, m];
            r = x - z;
            double s = y - z;
            p = (r * s - w) / a[m + 1, m] + a[m, m + 1];
            q = a[m + 1, m + 1] - z - r - s;
            r = a[m + 2, m + 1];
            s = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
            p /= s; q /= s; r /= s;
            if (m == l) break;
            double u = Math.Abs(a[m, m - 1]) * (Math.Abs(q) + Math.Abs(r));
            double v = Math.Abs(p) * (Math.Abs(a[m - 1, m - 1]) + Math.Abs(z) + Math.Abs(a[m + 1, m + 1]));
            if (u + v == v) break;
        }
        for (int i = m + 2; i <= nn; i++)
        {
            a[i, i - 2] = 0;
            if (i != m + 2) a[i, i - 3] = 0;
        }
        for (int k = m; k <= nn - 1; k++)
        {
            if (k != m)
            {
                p = a[k, k - 1];
                q = a[k + 1, k - 1];
                r = k != nn - 1 ? a[k + 2, k - 1] : 0;
                if ((x = Math.Abs(p) + Math.Abs(q) + Math.Abs(r)) != 0) { p /= x; q /= x; r /= x; }
            }
            double s = Math.Sqrt(p * p + q * q + r * r);
            if (p < 0) s = -s;
            if (s == 0) continue;
            if (k == m) { if (l != m) a[k, k - 1] = -a[k, k - 1]; }
            else a[k, k - 1] = -s * x;
            p += s;
            x = p / s; y = q / s; z = r / s;
            q /= p; r /= p;
            for (int j = k; j <= nn; j++)                                   // rows k, k+1, k+2 of the reflection
            {
                p = a[k, j] + q * a[k + 1, j];
                if (k != nn - 1) { p += r * a[k + 2, j]; a[k + 2, j] -= p * z; }
                a[k + 1, j] -= p * y;
                a[k, j] -= p * x;
            }
            int mmin = nn < k + 3 ? nn : k + 3;
            for (int i = l; i <= mmin; i++)                                 // columns k, k+1, k+2
            {
                p = x * a[i, k] + y * a[i, k + 1];
                if (k != nn - 1) { p += z * a[i, k + 2]; a[i, k + 2] -= p * r; }
                a[i, k + 1] -= p * q;
                a[i, k] -= p;
            }
        }
    }
}
