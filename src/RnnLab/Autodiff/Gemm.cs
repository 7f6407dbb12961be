using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnLab.Autodiff;

/// <summary>
/// The matrix-multiply kernels: C += op(A) · op(B), where op is identity or transpose, for
/// contiguous row-major matrices. C is [M, N]; op(A) is [M, K]; op(B) is [K, N].
/// <para>
/// Three paths, chosen from the shapes and the data alone (never from the thread count):
/// <list type="bullet">
/// <item>sparse: when op(A) (or op(B)) is mostly zeros, as one-hot inputs are, only its non-zeros are visited, so
///   x_t · W_ihᵀ with one-hot x_t costs a row gather and dW_ih += dzᵀ x_t a column scatter;</item>
/// <item>small: fewer than four rows (batch 1: W_hh h, the min-char-rnn): dot products or row AXPYs;</item>
/// <item>blocked: op(B) is packed into a contiguous [K, N] panel and a 4 × 8 register-blocked micro-kernel
///   accumulates with fused multiply-adds (Vector256), K in blocks that stay in cache.</item>
/// </list>
/// Every element of C is summed by one thread in a fixed order, so the results are the same bits on any thread count.
/// </para>
/// </summary>
internal static class Gemm
{
    private const int Mr = 4, Nr = 8, Kc = 256;   // micro-kernel rows, columns; K block

    public static void Run(bool transA, bool transB, int m, int n, int k, double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset)
    {
        if (m == 0 || n == 0 || k == 0) return;
        // op(A)[i, p] = a[aOffset + i·ars + p·acs];  op(B)[p, j] = b[bOffset + p·brs + j·bcs]
        var opA = new Operand(a, aOffset, transA ? 1 : k, transA ? m : 1);
        var opB = new Operand(b, bOffset, transB ? 1 : n, transB ? k : 1);

        if (IsSparse(a, aOffset, m * k)) { Sparse(m, n, k, opA, opB, c, cOffset); return; }
        if (IsSparse(b, bOffset, k * n)) { SparseB(m, n, k, opA, opB, c, cOffset); return; }
        if (m < Mr) { Small(transA, transB, m, n, k, opA, opB, c, cOffset); return; }
        Blocked(m, n, k, opA, opB, c, cOffset);
    }

    /// <summary>A matrix operand read through strides: element [r, q] is Data[Offset + r·RowStride + q·ColStride].</summary>
    private readonly record struct Operand(double[] Data, int Offset, int RowStride, int ColStride)
    {
        public double this[int r, int q] => Data[Offset + r * RowStride + q * ColStride];
        public Operand Transposed => new(Data, Offset, ColStride, RowStride);
    }

    // Mostly zeros (at most one in eight values non-zero)? Stops counting as soon as the answer is no.
    private static bool IsSparse(double[] x, int offset, int count)
    {
        if (count < 64) return false;
        int limit = count / 8, nonZero = 0;
        var span = x.AsSpan(offset, count);
        for (int i = 0; i < span.Length; i++)
            if (span[i] != 0 && ++nonZero > limit) return false;
        return true;
    }

    // C[i, :] += Σ_{p: A[i,p] ≠ 0} A[i, p] · op(B)[p, :]   — one pass over A, one row AXPY per non-zero.
    private static void Sparse(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.AsSpan(cOffset + i * n, n);
            for (int p = 0; p < k; p++)
            {
                double aip = a[i, p];
                if (aip == 0) continue;
                if (b.ColStride == 1) Axpy(aip, b.Data.AsSpan(b.Offset + p * b.RowStride, n), ci);
                else for (int j = 0; j < n; j++) ci[j] = Math.FusedMultiplyAdd(aip, b[p, j], ci[j]);
            }
        }
    }

    // C[:, j] += op(A)[:, p] · op(B)[p, j] for each non-zero op(B)[p, j], p in order (dW_ih = dzᵀ x with one-hot x).
    private static void SparseB(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
            {
                double bpj = b[p, j];
                if (bpj == 0) continue;
                for (int i = 0; i < m; i++)
                {
                    ref double cij = ref c[cOffset + i * n + j];
                    cij = Math.FusedMultiplyAdd(a[i, p], bpj, cij);
                }
            }
    }

    // One to three rows (batch 1 recurrences): NT as dot products of contiguous rows, NN/TN as AXPYs of B's rows.
    private static void Small(bool transA, bool transB, int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.AsSpan(cOffset + i * n, n);
            if (!transA && transB)
            {
                int row0 = i;
                Parallelism.For(n, k, (j0, j1) =>
                {
                    var row = a.Data.AsSpan(a.Offset + row0 * k, k);
                    var cRow = c.AsSpan(cOffset + row0 * n, n);
                    for (int j = j0; j < j1; j++) cRow[j] += Dot(row, b.Data.AsSpan(b.Offset + j * k, k));
                });
            }
            else if (!transB)
            {
                for (int p = 0; p < k; p++)
                {
                    double aip = a[i, p];
                    if (aip != 0) Axpy(aip, b.Data.AsSpan(b.Offset + p * n, n), ci);
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s = Math.FusedMultiplyAdd(a[i, p], b[p, j], s);
                    ci[j] += s;
                }
            }
        }
    }

    // Packs op(B) into bp as K rows of N8 = ⌈N/8⌉·8 values (zero padded), then runs the micro-kernel over row blocks in parallel.
    private static unsafe void Blocked(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        int n8 = (n + Nr - 1) / Nr * Nr;
        var bp = ArrayPool<double>.Shared.Rent(k * n8);
        for (int p = 0; p < k; p++) bp.AsSpan(p * n8 + n, n8 - n).Clear();
        if (b.ColStride == 1)
            for (int p = 0; p < k; p++) b.Data.AsSpan(b.Offset + p * b.RowStride, n).CopyTo(bp.AsSpan(p * n8, n));
        else
            for (int p0 = 0; p0 < k; p0 += Nr)   // transposing: read 8 consecutive values of a B row, write them down 8 rows of bp
            {
                int p1 = Math.Min(k, p0 + Nr);
                for (int j = 0; j < n; j++)
                {
                    int src = b.Offset + j * b.ColStride;
                    for (int p = p0; p < p1; p++) bp[p * n8 + j] = b.Data[src + p];
                }
            }
        int blocks = (m + Mr - 1) / Mr;
        Parallelism.For(blocks, (long)Mr * n * k, (blk0, blk1) =>
        {
            int i0 = blk0 * Mr, i1 = Math.Min(m, blk1 * Mr);
            fixed (double* pa = a.Data, pb = bp, pc = c)
                Panel(i0, i1, n, n8, k, pa + a.Offset, a.RowStride, a.ColStride, pb, pc + cOffset);
        });
        ArrayPool<double>.Shared.Return(bp);
    }

    // Rows [i0, i1) of C += op(A) · Bp. For each K block, each 8-column panel of Bp (kept in L1), each 4-row block:
    // 8 accumulators acc[r][0..7] = Σ_p A[i+r, p] · Bp[p, j..j+8] (fused multiply-add in p order), then C += acc.
    private static unsafe void Panel(int i0, int i1, int n, int n8, int k, double* a, int ars, int acs, double* bp, double* c)
    {
        var tail = stackalloc double[Nr];
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int p1 = Math.Min(k, p0 + Kc);
            for (int j = 0; j < n8; j += Nr)
            {
                int width = Math.Min(Nr, n - j);
                int i = i0;
                for (; i + Mr <= i1; i += Mr)
                {
                    Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default,
                                      c20 = default, c21 = default, c30 = default, c31 = default;
                    double* ap = a + i * ars + p0 * acs;
                    double* bq = bp + p0 * n8 + j;
                    for (int p = p0; p < p1; p++, ap += acs, bq += n8)
                    {
                        var b0 = Vector256.Load(bq);
                        var b1 = Vector256.Load(bq + 4);
                        var a0 = Vector256.Create(ap[0]);
                        c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
                        var a1 = Vector256.Create(ap[ars]);
                        c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
                        var a2 = Vector256.Create(ap[2 * ars]);
                        c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
                        var a3 = Vector256.Create(ap[3 * ars]);
                        c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
                    }
                    AddTo(c + (i + 0) * n + j, width, c00, c01, tail);
                    AddTo(c + (i + 1) * n + j, width, c10, c11, tail);
                    AddTo(c + (i + 2) * n + j, width, c20, c21, tail);
                    AddTo(c + (i + 3) * n + j, width, c30, c31, tail);
                }
                for (; i < i1; i++)   // leftover rows: the same sums, one row at a time
                {
                    Vector256<double> c0 = default, c1 = default;
                    double* ap = a + i * ars + p0 * acs;
                    double* bq = bp + p0 * n8 + j;
                    for (int p = p0; p < p1; p++, ap += acs, bq += n8)
                    {
                        var ai = Vector256.Create(ap[0]);
                        c0 = Vector256.FusedMultiplyAdd(ai, Vector256.Load(bq), c0);
                        c1 = Vector256.FusedMultiplyAdd(ai, Vector256.Load(bq + 4), c1);
                    }
                    AddTo(c + i * n + j, width, c0, c1, tail);
                }
            }
        }
    }

    // c[0..width) += (lo, hi)[0..width)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddTo(double* c, int width, Vector256<double> lo, Vector256<double> hi, double* tail)
    {
        if (width == Nr)
        {
            Vector256.Store(Vector256.Load(c) + lo, c);
            Vector256.Store(Vector256.Load(c + 4) + hi, c + 4);
            return;
        }
        Vector256.Store(lo, tail);
        Vector256.Store(hi, tail + 4);
        for (int q = 0; q < width; q++) c[q] += tail[q];
    }

    // y += α x, vectorised (fused multiply-add).
    internal static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(alpha);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < vx.Length; v++) vy[v] = Vector.FusedMultiplyAdd(va, vx[v], vy[v]);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] = Math.FusedMultiplyAdd(alpha, x[i], y[i]);
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
            for (int v = 0; v < vx.Length; v++) acc = Vector.FusedMultiplyAdd(vx[v], vy[v], acc);
            s = Vector.Sum(acc);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) s = Math.FusedMultiplyAdd(x[i], y[i], s);
        return s;
    }
}
