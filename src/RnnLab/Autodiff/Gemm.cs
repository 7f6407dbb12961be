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
/// <item>small: fewer than four rows (batch 1: W_hh h, the min-char-rnn): dot products or row AXPYs, four at a time;</item>
/// <item>small K: fewer than four terms per element (a weight gradient at batch 1, dW_hh += dzᵀ h): row AXPYs;</item>
/// <item>blocked: op(B) is packed into a contiguous [K, N] panel and a 4 × 8 register-blocked micro-kernel
///   accumulates with fused multiply-adds (Vector256), K in blocks that stay in cache.</item>
/// </list>
/// Every element of C is summed by one thread in a fixed order, so the results are the same bits on any thread count.
/// </para>
/// </summary>
internal static class Gemm
{
    private const int Mr = 4, Nr = 8, Kc = 256;   // micro-kernel rows, columns; K block

    /// <summary>
    /// C += op(A) · op(B). <paramref name="denseA"/>: never take the sparse path for A (for a hidden state or a gradient,
    /// which are dense in practice), so that the arithmetic of each element does not depend on which other rows are in
    /// the call: a recurrent layer that runs a few batch rows per thread then gets the bits of one call over all rows.
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                           bool denseA = false)
    {
        if (m == 0 || n == 0 || k == 0) return;
        // op(A)[i, p] = a[aOffset + i·ars + p·acs];  op(B)[p, j] = b[bOffset + p·brs + j·bcs]
        var opA = new Operand(a, aOffset, transA ? 1 : k, transA ? m : 1);
        var opB = new Operand(b, bOffset, transB ? 1 : n, transB ? k : 1);

        if (!denseA && IsSparse(a, aOffset, m * k)) { Sparse(m, n, k, opA, opB, c, cOffset); return; }
        if (IsSparse(b, bOffset, k * n)) { SparseB(m, n, k, opA, opB, c, cOffset); return; }
        if (m < Mr) { Small(transA, transB, m, n, k, opA, opB, c, cOffset); return; }
        if (k < Mr && !transB) { SmallK(m, n, k, opA, opB, c, cOffset); return; }
        Blocked(m, n, k, opA, opB, c, cOffset);
    }

    /// <summary>
    /// True when C = A · op(B) from C = 0, computed in calls of any number of rows ≥ <paramref name="rowsPerCall"/>
    /// (a few batch rows, or all of them), gives every element the same bits: the blocked and sparse paths (the only ones
    /// taken from 4 rows up) both sum an element's products in p order starting from zero (a zero of A adds exactly
    /// nothing), as long as K fits one K block. The small path (fewer than 4 rows: dot products with partial sums)
    /// sums differently.
    /// </summary>
    public static bool SameSumsForAnyRows(int rowsPerCall, int k) => rowsPerCall >= Mr && k <= Kc;

    /// <summary>A matrix operand read through strides: element [r, q] is Data[Offset + r·RowStride + q·ColStride].</summary>
    private readonly record struct Operand(double[] Data, int Offset, int RowStride, int ColStride)
    {
        public double this[int r, int q]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]   // read in inner loops: a call per element would cost more than the read
            get => Data[Offset + r * RowStride + q * ColStride];
        }
        public Operand Transposed => new(Data, Offset, ColStride, RowStride);
    }

    // Mostly zeros (at most one in eight values non-zero)? Weights and activations give themselves away in their first
    // 64 values, so those are looked at first (a quick "no" instead of counting 1/8 of a large matrix on every call);
    // a one-hot row of length ≥ 8 has at most 8 non-zeros there. Only then is the whole operand counted, stopping as
    // soon as the answer is no. The choice only changes the speed: every path computes the same sums.
    private static bool IsSparse(double[] x, int offset, int count)
    {
        if (count < 64) return false;
        var span = x.AsSpan(offset, count);
        int nonZero = 0;
        for (int i = 0; i < 64; i++)
            if (span[i] != 0) nonZero++;
        if (nonZero > 8) return false;
        int limit = count / 8;
        for (int i = 64; i < span.Length; i += 1024)
            if ((nonZero += NonZeros(span.Slice(i, Math.Min(1024, span.Length - i)))) > limit) return false;
        return true;
    }

    // How many values are not 0 (NaN counts; −0 does not), four at a time.
    private static int NonZeros(ReadOnlySpan<double> x)
    {
        int count = 0, i = 0;
        for (; i + 4 <= x.Length; i += 4)
            count += BitOperations.PopCount(~Vector256.Equals(Vector256.Create(x.Slice(i, 4)), Vector256<double>.Zero).ExtractMostSignificantBits() & 0xF);
        for (; i < x.Length; i++)
            if (x[i] != 0) count++;
        return count;
    }

    // C[i, :] += Σ_{p: A[i,p] ≠ 0} A[i, p] · op(B)[p, :]   — one pass over A, one row AXPY per non-zero; rows split over
    // threads (a whole sequence's one-hot inputs times W_ihᵀ is thousands of row gathers). When op(B) is transposed
    // (x W_ihᵀ), it is first packed row-major (PackB), so that each non-zero adds a contiguous row instead of gathering
    // a strided column (512 cache lines per row in W1): when there are more rows than twice its K (a one-hot row gathers
    // one column, packing copies K of them), or inside a PackScope, where a recurrent layer's forward packs it once for
    // all its steps. The same multiply-adds either way.
    private static void Sparse(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        double[]? panel = null;
        if (b.ColStride != 1 && (m >= 2 * k || PackScope.Current is not null))
        {
            int n8 = (n + Nr - 1) / Nr * Nr;
            panel = PackB(b, k, n, n8);
            b = new Operand(panel, 0, n8, 1);
        }
        Parallelism.For(m, k + 2L * n, new SparseRows(a, b, c, cOffset, n, k));
        if (panel is not null) ReleasePanel(panel);
    }

    private readonly struct SparseRows(Operand a, Operand b, double[] c, int cOffset, int n, int k) : IRangeBody
    {
        public void Run(int i0, int i1) => SparseRowRange(i0, i1, a, b, c, cOffset, n, k);
    }

    // Rows [i0, i1) of Sparse, with the operands as locals (read in the inner loop; a struct's fields would be reloaded).
    private static void SparseRowRange(int i0, int i1, Operand a, Operand b, double[] c, int cOffset, int n, int k)
    {
        for (int i = i0; i < i1; i++)
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
    // The non-zeros are listed once. Rows of C are split over threads; each piece copies its rows of C out transposed,
    // so that a non-zero adds a contiguous run of op(A)'s column to a contiguous run of the copy (one vector FMA per
    // element, as the scalar one), and copies them back once: written in place, two pieces' edge rows would share a cache
    // line that both threads write for every non-zero.
    private static void SparseB(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        var nonZeros = ArrayPool<(int P, int J, double Value)>.Shared.Rent(k * n / 8 + 1);   // IsSparse: at most 1 in 8
        int count = 0;
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                if (b[p, j] != 0) nonZeros[count++] = (p, j, b[p, j]);
        Parallelism.For(m, 2L * count + 2L * n, (i0, i1) =>
        {
            int rows = i1 - i0;
            var ct = ArrayPool<double>.Shared.Rent(n * rows);                          // ct[j·rows + (i − i0)] = C[i, j]
            for (int i = i0; i < i1; i++)
                for (int j = 0; j < n; j++) ct[j * rows + i - i0] = c[cOffset + i * n + j];
            for (int z = 0; z < count; z++)
            {
                var (p, j, value) = nonZeros[z];
                var column = ct.AsSpan(j * rows, rows);
                if (a.RowStride == 1) Axpy(value, a.Data.AsSpan(a.Offset + i0 + p * a.ColStride, rows), column);
                else for (int i = i0; i < i1; i++) column[i - i0] = Math.FusedMultiplyAdd(a[i, p], value, column[i - i0]);
            }
            for (int i = i0; i < i1; i++)
                for (int j = 0; j < n; j++) c[cOffset + i * n + j] = ct[j * rows + i - i0];
            ArrayPool<double>.Shared.Return(ct);
        });
        ArrayPool<(int, int, double)>.Shared.Return(nonZeros);
    }

    // One to three rows (batch 1 recurrences): NT as dot products of contiguous rows, NN/TN as AXPYs of B's rows.
    private static void Small(bool transA, bool transB, int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        for (int i = 0; i < m; i++)
        {
            var ci = c.AsSpan(cOffset + i * n, n);
            if (!transA && transB)
                Parallelism.For(n, k, new DotRows(a.Data, a.Offset + i * k, b.Data, b.Offset, c, cOffset + i * n, k));
            else if (!transB)
            {
                // C[i, :] += Σ_p A[i, p] · B[p, :]: four rows of B per pass over C's row (Axpy4), the rest one by one.
                int p = 0;
                for (; p + 4 <= k; p += 4)
                    Axpy4(a[i, p], a[i, p + 1], a[i, p + 2], a[i, p + 3], b.Data.AsSpan(b.Offset + p * n, 4 * n), n, ci);
                for (; p < k; p++) Axpy(a[i, p], b.Data.AsSpan(b.Offset + p * n, n), ci);
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

    // c[j] += x · B[j, :] for j in [j0, j1), x and the rows of B contiguous of length k: four rows of B per pass (Dot4),
    // the rest one by one.
    private readonly struct DotRows(double[] a, int xOffset, double[] b, int bOffset, double[] c, int cOffset, int k) : IRangeBody
    {
        public void Run(int j0, int j1)
        {
            var x = a.AsSpan(xOffset, k);
            int j = j0;
            for (; j + 4 <= j1; j += 4) Dot4(x, b.AsSpan(bOffset + j * k, 4 * k), k, c.AsSpan(cOffset + j, 4));
            for (; j < j1; j++) c[cOffset + j] += Dot(x, b.AsSpan(bOffset + j * k, k));
        }
    }

    // One to three terms per element, B not transposed (dW += dzᵀ h at batch 1: a rank-1 update):
    // C[i, :] += Σ_p op(A)[i, p] · B[p, :], one AXPY per term; rows of C are split over threads.
    private static void SmallK(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset) =>
        Parallelism.For(m, (long)n * k, new AxpyRows(a, b, c, cOffset, n, k));

    private readonly struct AxpyRows(Operand a, Operand b, double[] c, int cOffset, int n, int k) : IRangeBody
    {
        public void Run(int i0, int i1)
        {
            int i = i0;
            if (k == 1)   // batch 1, C += a bᵀ: four rows of C per pass share each load of b (each element still gets one FMA)
                for (; i + 4 <= i1; i += 4)
                    Rank1Rows4(a[i, 0], a[i + 1, 0], a[i + 2, 0], a[i + 3, 0], b.Data.AsSpan(b.Offset, n), c.AsSpan(cOffset + i * n, 4 * n), n);
            for (; i < i1; i++)
            {
                var ci = c.AsSpan(cOffset + i * n, n);
                for (int p = 0; p < k; p++) Axpy(a[i, p], b.Data.AsSpan(b.Offset + p * b.RowStride, n), ci);
            }
        }
    }

    // c_r += α_r x for the four rows c_r = cs[r·n .. (r+1)·n): what four Axpy calls do (the same bits), reading x once.
    private static void Rank1Rows4(double a0, double a1, double a2, double a3, ReadOnlySpan<double> x, Span<double> cs, int n)
    {
        var c0 = cs[..n]; var c1 = cs.Slice(n, n); var c2 = cs.Slice(2 * n, n); var c3 = cs.Slice(3 * n, n);
        int j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(c0); var v1 = MemoryMarshal.Cast<double, Vector<double>>(c1);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(c2); var v3 = MemoryMarshal.Cast<double, Vector<double>>(c3);
            Vector<double> va0 = new(a0), va1 = new(a1), va2 = new(a2), va3 = new(a3);
            for (int v = 0; v < vx.Length; v++)
            {
                var xv = vx[v];
                v0[v] = Vector.FusedMultiplyAdd(va0, xv, v0[v]); v1[v] = Vector.FusedMultiplyAdd(va1, xv, v1[v]);
                v2[v] = Vector.FusedMultiplyAdd(va2, xv, v2[v]); v3[v] = Vector.FusedMultiplyAdd(va3, xv, v3[v]);
            }
            j = vx.Length * Vector<double>.Count;
        }
        for (; j < n; j++)
        {
            c0[j] = Math.FusedMultiplyAdd(a0, x[j], c0[j]); c1[j] = Math.FusedMultiplyAdd(a1, x[j], c1[j]);
            c2[j] = Math.FusedMultiplyAdd(a2, x[j], c2[j]); c3[j] = Math.FusedMultiplyAdd(a3, x[j], c3[j]);
        }
    }

    // Packs op(B) (PackB), then runs the micro-kernel over row blocks in parallel. An op(B) that already is such a panel
    // (not transposed, rows of a multiple of 8 values one after another: H in dW_hh += dZᵀ H, W_hh in dh = dZ W_hh) is
    // read where it is: copying it would only move the same values.
    private static void Blocked(int m, int n, int k, Operand a, Operand b, double[] c, int cOffset)
    {
        if (b.ColStride == 1 && b.RowStride == n && n % Nr == 0) { Multiply(m, n, n, k, a, b.Data, b.Offset, c, cOffset); return; }
        int n8 = (n + Nr - 1) / Nr * Nr;
        var bp = PackB(b, k, n, n8);
        Multiply(m, n, n8, k, a, bp, 0, c, cOffset);
        ReleasePanel(bp);
    }

    // op(B) as K rows of N8 = ⌈N/8⌉·8 values (zero padded), a row-major panel. Inside a PackScope (a recurrent layer's
    // forward) a panel packed earlier from the same operand is reused, and a new one is kept by the scope; otherwise it
    // is rented from the pool, and ReleasePanel gives it back.
    private static double[] PackB(Operand b, int k, int n, int n8)
    {
        var scope = PackScope.Current;
        if (scope is not null && scope.TryGet(b.Data, b.Offset, b.RowStride, b.ColStride, k, n, out var packed)) return packed;
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
        scope?.Add(b.Data, b.Offset, b.RowStride, b.ColStride, k, n, bp);
        return bp;
    }

    // Gives a panel from PackB back to the pool, unless the open PackScope keeps it.
    private static void ReleasePanel(double[] panel)
    {
        if (PackScope.Current is null) ArrayPool<double>.Shared.Return(panel);
    }

    // C += op(A) · Bp for a panel Bp (from bp[bpOffset]), row blocks of four split over threads. Every piece streams all
    // of Bp once per K block; when K spans several blocks (a weight gradient over a whole sequence: Bp of 2 MB in W1,
    // more than a core's cache), one piece per thread, since each further piece would read Bp from memory again (four
    // per thread made W1's dW_hh 12 % slower on two threads).
    private static unsafe void Multiply(int m, int n, int n8, int k, Operand a, double[] bp, int bpOffset, double[] c, int cOffset)
    {
        int blocks = (m + Mr - 1) / Mr;
        Parallelism.For(blocks, (long)Mr * n * k, (blk0, blk1) =>
        {
            int i0 = blk0 * Mr, i1 = Math.Min(m, blk1 * Mr);
            fixed (double* pa = a.Data, pb = bp, pc = c)
                Panel(i0, i1, n, n8, k, pa + a.Offset, a.RowStride, a.ColStride, pb + bpOffset, pc + cOffset);
        }, piecesPerThread: k > Kc ? 1 : Parallelism.PiecesPerThread);
    }

    // Rows [i0, i1) of C += op(A) · Bp. For each K block, each 8-column panel of Bp (kept in L1), each 4-row block:
    // 8 accumulators acc[r][0..7] = Σ_p A[i+r, p] · Bp[p, j..j+8] (fused multiply-add in p order), then C += acc.
    private static unsafe void Panel(int i0, int i1, int n, int n8, int k, double* a, int ars, int acs, double* bp, double* c)
    {
        if (acs != 1 && i1 - i0 >= Mr) { PanelTransposedA(i0, i1, n, n8, k, a, ars, acs, bp, c); return; }
        var tail = stackalloc double[Nr];
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int p1 = Math.Min(k, p0 + Kc);
            for (int j = 0; j < n8; j += Nr)
            {
                int width = Math.Min(Nr, n - j);
                int i = i0;
                for (; i + Mr <= i1; i += Mr)
                    Block(a + i * ars + p0 * acs, ars, acs, bp + p0 * n8 + j, n8, p1 - p0, c + i * n + j, n, width, tail);
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

    // Panel for a transposed A (a weight gradient dZᵀ H over many rows: A's four values for one p lie together, the next
    // p a whole row further on). Streaming such an A once per 8-column panel of Bp would touch a new cache line per p
    // every time; instead, per K block and 4-row block, A's 4 × K-block values are copied together once and every column
    // panel reads them from there. Each element gets the same fused multiply-adds in the same order as in Panel.
    private static unsafe void PanelTransposedA(int i0, int i1, int n, int n8, int k, double* a, int ars, int acs, double* bp, double* c)
    {
        var tail = stackalloc double[Nr];
        var ap = stackalloc double[Mr * Kc];                                  // [p − p0][r]: A[i + r, p]
        int full = i0 + (i1 - i0) / Mr * Mr;
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int p1 = Math.Min(k, p0 + Kc);
            for (int i = i0; i < full; i += Mr)
            {
                double* src = a + i * ars + p0 * acs;
                for (int q = 0; q < p1 - p0; q++, src += acs)
                {
                    ap[4 * q] = src[0]; ap[4 * q + 1] = src[ars]; ap[4 * q + 2] = src[2 * ars]; ap[4 * q + 3] = src[3 * ars];
                }
                for (int j = 0; j < n8; j += Nr)
                    Block(ap, 1, Mr, bp + p0 * n8 + j, n8, p1 - p0, c + i * n + j, n, Math.Min(Nr, n - j), tail);
            }
        }
        if (full < i1) Panel(full, i1, n, n8, k, a, ars, acs, bp, c);          // the last one to three rows, one at a time
    }

    // The 4 × 8 micro-kernel: C[r, 0..width) += Σ_p A[r, p] · Bp[p, 0..8) for r = 0..3, p = 0..kLen, with A[r, p] at
    // a[r·ars + p·acs], Bp rows n8 apart and C rows n apart; 8 accumulators, fused multiply-adds in p order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block(double* a, int ars, int acs, double* bq, int n8, int kLen, double* c, int n, int width, double* tail)
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default,
                          c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kLen; p++, a += acs, bq += n8)
        {
            var b0 = Vector256.Load(bq);
            var b1 = Vector256.Load(bq + 4);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[ars]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2 * ars]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3 * ars]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
        }
        AddTo(c, width, c00, c01, tail);
        AddTo(c + n, width, c10, c11, tail);
        AddTo(c + 2 * n, width, c20, c21, tail);
        AddTo(c + 3 * n, width, c30, c31, tail);
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

    // y += α x, vectorised (fused multiply-add). Inlined: batch-1 paths call it once per row of a weight matrix.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    // y += α₀ x₀ + α₁ x₁ + α₂ x₂ + α₃ x₃ for four rows x_r = xs[r·n .. (r+1)·n): the same fused multiply-adds, in the same
    // order, as four Axpy calls (so the same bits), but y is loaded and stored once instead of four times.
    internal static void Axpy4(double a0, double a1, double a2, double a3, ReadOnlySpan<double> xs, int n, Span<double> y)
    {
        var x0 = xs[..n]; var x1 = xs.Slice(n, n); var x2 = xs.Slice(2 * n, n); var x3 = xs.Slice(3 * n, n);
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var v0 = new Vector<double>(a0); var v1 = new Vector<double>(a1);
            var v2 = new Vector<double>(a2); var v3 = new Vector<double>(a3);
            var vx0 = MemoryMarshal.Cast<double, Vector<double>>(x0); var vx1 = MemoryMarshal.Cast<double, Vector<double>>(x1);
            var vx2 = MemoryMarshal.Cast<double, Vector<double>>(x2); var vx3 = MemoryMarshal.Cast<double, Vector<double>>(x3);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < vx0.Length; v++)
            {
                var acc = Vector.FusedMultiplyAdd(v0, vx0[v], vy[v]);
                acc = Vector.FusedMultiplyAdd(v1, vx1[v], acc);
                acc = Vector.FusedMultiplyAdd(v2, vx2[v], acc);
                vy[v] = Vector.FusedMultiplyAdd(v3, vx3[v], acc);
            }
            i = vx0.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
            y[i] = Math.FusedMultiplyAdd(a3, x3[i], Math.FusedMultiplyAdd(a2, x2[i], Math.FusedMultiplyAdd(a1, x1[i], Math.FusedMultiplyAdd(a0, x0[i], y[i]))));
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

    // c[r] += x · y_r for four rows y_r = ys[r·k .. (r+1)·k), each summed exactly as Dot sums it (so the same bits).
    // Four independent accumulators keep the FMA unit busy: one Dot waits on its own previous sum at every step.
    private static void Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> ys, int k, Span<double> c)
    {
        var y0 = ys[..k]; var y1 = ys.Slice(k, k); var y2 = ys.Slice(2 * k, k); var y3 = ys.Slice(3 * k, k);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && k >= Vector<double>.Count)
        {
            Vector<double> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy0 = MemoryMarshal.Cast<double, Vector<double>>(y0); var vy1 = MemoryMarshal.Cast<double, Vector<double>>(y1);
            var vy2 = MemoryMarshal.Cast<double, Vector<double>>(y2); var vy3 = MemoryMarshal.Cast<double, Vector<double>>(y3);
            for (int v = 0; v < vx.Length; v++)
            {
                var xv = vx[v];
                acc0 = Vector.FusedMultiplyAdd(xv, vy0[v], acc0);
                acc1 = Vector.FusedMultiplyAdd(xv, vy1[v], acc1);
                acc2 = Vector.FusedMultiplyAdd(xv, vy2[v], acc2);
                acc3 = Vector.FusedMultiplyAdd(xv, vy3[v], acc3);
            }
            s0 = Vector.Sum(acc0); s1 = Vector.Sum(acc1); s2 = Vector.Sum(acc2); s3 = Vector.Sum(acc3);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < k; i++)
        {
            s0 = Math.FusedMultiplyAdd(x[i], y0[i], s0); s1 = Math.FusedMultiplyAdd(x[i], y1[i], s1);
            s2 = Math.FusedMultiplyAdd(x[i], y2[i], s2); s3 = Math.FusedMultiplyAdd(x[i], y3[i], s3);
        }
        c[0] += s0; c[1] += s1; c[2] += s2; c[3] += s3;
    }
}
