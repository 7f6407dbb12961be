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

    // C[i, :] += Σ_k A[i, k] · B[k, :]     (A [M, K], B [K, N]): row axpys, contiguous in B and C.
    private static void NN(int i0, int i1, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int i = i0; i < i1; i++)
        {
            var ci = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                double aip = a[i * k + p];
                if (aip != 0) Axpy(aip, b.Slice(p * n, n), ci);   // one-hot inputs: most aip are 0
            }
        }
    }

    // C[i, j] += A[i, :] · B[j, :]         (A [M, K], B [N, K]): dot products of contiguous rows.
    private static void NT(int i0, int i1, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int i = i0; i < i1; i++)
        {
            var ai = a.Slice(i * k, k);
            for (int j = 0; j < n; j++) c[i * n + j] += Dot(ai, b.Slice(j * k, k));
        }
    }

    // C[i, :] += Σ_k A[k, i] · B[k, :]     (A [K, M], B [K, N])
    private static void TN(int i0, int i1, int m, int n, int k, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int i = i0; i < i1; i++)
        {
            var ci = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                double api = a[p * m + i];
                if (api != 0) Axpy(api, b.Slice(p * n, n), ci);
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
