using System.Numerics;
using System.Runtime.InteropServices;

namespace RnnLab.Autodiff;

/// <summary>
/// The matrix-multiply kernels: C += op(A) · op(B), where op is identity or transpose, for
/// contiguous row-major matrices. C is [M, N]; op(A) is [M, K]; op(B) is [K, N].
/// Each row of C is computed by one thread in a fixed order: the same bits on any thread count.
/// </summary>
internal static class Gemm
{
    public static void Run(bool transA, bool transB, int m, int n, int k, double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset)
    {
        long work = (long)n * k;
        Parallelism.For(m, work, (i0, i1) =>
        {
            var A = a.AsSpan(aOffset, m * k);
            var B = b.AsSpan(bOffset, k * n);
            var C = c.AsSpan(cOffset, m * n);
            switch (transA, transB)
            {
                case (false, false): NN(i0, i1, n, k, A, B, C); break;
                case (false, true): NT(i0, i1, n, k, A, B, C); break;
                case (true, false): TN(i0, i1, m, n, k, A, B, C); break;
                default: TT(i0, i1, m, n, k, A, B, C); break;
            }
        });
    }

    // Cache blocking: the kernels walk B in blocks of about 64 KB and finish a block for all their
    // rows of C before the next, so the block stays in cache instead of streaming B once per row.
    // Every C[i, j] still sums its terms in ascending k: blocking changes no bit of the result.
    private const int BlockDoubles = 8192;

    // C[i, :] += Σ_p A[i, p] · B[p, :]     (A [M, K], B [K, N]): row axpys, contiguous in B and C.
    private static void NN(int i0, int i1, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        int block = Math.Max(1, BlockDoubles / Math.Max(1, n));   // rows of B per block
        for (int p0 = 0; p0 < k; p0 += block)
        {
            int p1 = Math.Min(k, p0 + block);
            for (int i = i0; i < i1; i++)
            {
                var ci = c.Slice(i * n, n);
                int p = p0;
                for (; p + 4 <= p1; p += 4) Axpy4(a[i * k + p], a[i * k + p + 1], a[i * k + p + 2], a[i * k + p + 3], b, p, n, ci);
                for (; p < p1; p++)
                {
                    double aip = a[i * k + p];
                    if (aip != 0) Axpy(aip, b.Slice(p * n, n), ci);   // one-hot inputs: most aip are 0
                }
            }
        }
    }

    // C[i, j] += A[i, :] · B[j, :]         (A [M, K], B [N, K]): dot products of contiguous rows,
    // four rows of B at a time so that each load of A[i, :] serves four outputs.
    private static void NT(int i0, int i1, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        int block = Math.Max(4, BlockDoubles / Math.Max(1, k) / 4 * 4);   // rows of B per block, a multiple of 4
        for (int j0 = 0; j0 < n; j0 += block)
        {
            int j1 = Math.Min(n, j0 + block);
            for (int i = i0; i < i1; i++)
            {
                var ai = a.Slice(i * k, k);
                int j = j0;
                for (; j + 4 <= j1; j += 4)
                {
                    var (d0, d1, d2, d3) = Dot4(ai, b.Slice(j * k, k), b.Slice((j + 1) * k, k), b.Slice((j + 2) * k, k), b.Slice((j + 3) * k, k));
                    c[i * n + j] += d0; c[i * n + j + 1] += d1; c[i * n + j + 2] += d2; c[i * n + j + 3] += d3;
                }
                for (; j < j1; j++) c[i * n + j] += Dot(ai, b.Slice(j * k, k));
            }
        }
    }

    // C[i, :] += Σ_p A[p, i] · B[p, :]     (A [K, M], B [K, N])
    private static void TN(int i0, int i1, int m, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        int block = Math.Max(1, BlockDoubles / Math.Max(1, n));
        for (int p0 = 0; p0 < k; p0 += block)
        {
            int p1 = Math.Min(k, p0 + block);
            for (int i = i0; i < i1; i++)
            {
                var ci = c.Slice(i * n, n);
                int p = p0;
                for (; p + 4 <= p1; p += 4) Axpy4(a[p * m + i], a[(p + 1) * m + i], a[(p + 2) * m + i], a[(p + 3) * m + i], b, p, n, ci);
                for (; p < p1; p++)
                {
                    double api = a[p * m + i];
                    if (api != 0) Axpy(api, b.Slice(p * n, n), ci);
                }
            }
        }
    }

    // C[i, j] += Σ_k A[k, i] · B[j, k]     (A [K, M], B [N, K])
    private static void TT(int i0, int i1, int m, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int i = i0; i < i1; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[p * m + i] * b[j * k + p];
                c[i * n + j] += s;
            }
    }

    // c += α0 B[p, :] + α1 B[p+1, :] + α2 B[p+2, :] + α3 B[p+3, :], the rows added one after the other (exactly the bits
    // of four Axpy calls) but with one load and store of c instead of four. Zero coefficients are skipped (one-hot inputs).
    private static void Axpy4(double a0, double a1, double a2, double a3, ReadOnlySpan<double> b, int p, int n, Span<double> c)
    {
        ReadOnlySpan<double> b0 = b.Slice(p * n, n), b1 = b.Slice((p + 1) * n, n), b2 = b.Slice((p + 2) * n, n), b3 = b.Slice((p + 3) * n, n);
        if (a0 == 0 || a1 == 0 || a2 == 0 || a3 == 0)
        {
            if (a0 != 0) Axpy(a0, b0, c);
            if (a1 != 0) Axpy(a1, b1, c);
            if (a2 != 0) Axpy(a2, b2, c);
            if (a3 != 0) Axpy(a3, b3, c);
            return;
        }
        int j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            Vector<double> va0 = new(a0), va1 = new(a1), va2 = new(a2), va3 = new(a3);
            var vc = MemoryMarshal.Cast<double, Vector<double>>(c);
            ReadOnlySpan<Vector<double>> v0 = MemoryMarshal.Cast<double, Vector<double>>(b0), v1 = MemoryMarshal.Cast<double, Vector<double>>(b1),
                                         v2 = MemoryMarshal.Cast<double, Vector<double>>(b2), v3 = MemoryMarshal.Cast<double, Vector<double>>(b3);
            for (int v = 0; v < vc.Length; v++)
            {
                var t = vc[v];
                t += va0 * v0[v]; t += va1 * v1[v]; t += va2 * v2[v]; t += va3 * v3[v];
                vc[v] = t;
            }
            j = vc.Length * Vector<double>.Count;
        }
        for (; j < n; j++)
        {
            double t = c[j];
            t += a0 * b0[j]; t += a1 * b1[j]; t += a2 * b2[j]; t += a3 * b3[j];
            c[j] = t;
        }
    }

    // y += α x, vectorised.
    internal static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(alpha);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    // x · y0, x · y1, x · y2, x · y3 in one pass over x; each sum in exactly Dot's order (same bits as four Dot calls).
    private static (double, double, double, double) Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1,
                                                         ReadOnlySpan<double> y2, ReadOnlySpan<double> y3)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            ReadOnlySpan<Vector<double>> v0 = MemoryMarshal.Cast<double, Vector<double>>(y0), v1 = MemoryMarshal.Cast<double, Vector<double>>(y1),
                                         v2 = MemoryMarshal.Cast<double, Vector<double>>(y2), v3 = MemoryMarshal.Cast<double, Vector<double>>(y3);
            for (int v = 0; v < vx.Length; v++)
            {
                var xv = vx[v];
                a0 += xv * v0[v]; a1 += xv * v1[v]; a2 += xv * v2[v]; a3 += xv * v3[v];
            }
            s0 = Vector.Sum(a0); s1 = Vector.Sum(a1); s2 = Vector.Sum(a2); s3 = Vector.Sum(a3);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) { s0 += x[i] * y0[i]; s1 += x[i] * y1[i]; s2 += x[i] * y2[i]; s3 += x[i] * y3[i]; }
        return (s0, s1, s2, s3);
    }

    // x · y, vectorised (fixed summation order: the same bits every time).
    internal static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < vx.Length; v++) acc += vx[v] * vy[v];
            s = Vector.Sum(acc);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
