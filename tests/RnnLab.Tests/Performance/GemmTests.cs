using RnnLab.Autodiff;

namespace RnnLab.Tests.Performance;

/// <summary>
/// The matrix kernels on every path (blocked micro-kernel, small-row, sparse A, sparse B) and every transpose variant,
/// against a plain triple loop, over random shapes that hit the 4-row and 8-column edges.
/// </summary>
public sealed class GemmTests
{
    // C += op(A) op(B) the slow obvious way.
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, double[] a, double[] b, double[] c0)
    {
        var c = (double[])c0.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] += s;
            }
        return c;
    }

    private static double[] Fill(Rng rng, int count, bool oneHotRows, int rowLength)
    {
        var x = new double[count];
        if (!oneHotRows) { for (int q = 0; q < count; q++) x[q] = rng.Uniform(-1, 1); return x; }
        for (int r = 0; r < count / rowLength; r++) x[r * rowLength + rng.NextInt(rowLength)] = rng.Uniform(0.5, 2);   // one non-zero per stored row
        return x;
    }

    [Theory]
    [InlineData("dense")]
    [InlineData("sparseA")]
    [InlineData("sparseB")]
    public void Every_transpose_variant_matches_the_triple_loop_on_random_shapes(string kind)
    {
        var rng = new Rng((ulong)kind.Length);
        for (int trial = 0; trial < 40; trial++)
        {
            int m = 1 + rng.NextInt(37), n = 1 + rng.NextInt(37), k = 1 + rng.NextInt(300);
            if (kind != "dense") k = 8 + rng.NextInt(60);
            bool ta = rng.NextInt(2) == 1, tb = rng.NextInt(2) == 1;
            // Sparse operands hold one non-zero per stored row of length ≥ 8 (so at most 1/8 of them are non-zero).
            var a = kind == "sparseA" && !ta ? Fill(rng, m * k, true, k) : kind == "sparseA" ? Fill(rng, m * k, true, m) : Fill(rng, m * k, false, 1);
            var b = kind == "sparseB" && !tb ? Fill(rng, k * n, true, n) : kind == "sparseB" ? Fill(rng, k * n, true, k) : Fill(rng, k * n, false, 1);
            var c = Fill(rng, m * n, false, 1);
            var expected = Reference(ta, tb, m, n, k, a, b, c);
            Gemm.Run(ta, tb, m, n, k, a, 0, b, 0, c, 0);
            for (int q = 0; q < c.Length; q++)
                Assert.True(Math.Abs(expected[q] - c[q]) <= 1e-12 * (1 + k),
                            $"{kind} trial {trial} ({(ta ? "T" : "N")}{(tb ? "T" : "N")} m={m} n={n} k={k}) element {q}: {expected[q]:R} vs {c[q]:R}");
        }
    }

    [Fact]
    public void Many_one_hot_rows_times_a_transposed_matrix_give_the_bits_of_a_column_gather()
    {
        const int m = 300, n = 33, k = 20;                             // m ≥ 2k: op(B) is first copied row-major
        var rng = new Rng(44);
        var a = Fill(rng, m * k, true, k);
        var b = Fill(rng, n * k, false, 1);                            // B [n, k], used transposed
        var c = Fill(rng, m * n, false, 1);
        var expected = (double[])c.Clone();                            // each non-zero: one multiply-add per element, p in order
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
                if (a[i * k + p] != 0)
                    for (int j = 0; j < n; j++) expected[i * n + j] = Math.FusedMultiplyAdd(a[i * k + p], b[j * k + p], expected[i * n + j]);
        Gemm.Run(false, true, m, n, k, a, 0, b, 0, c, 0);
        Assert.Equal(expected, c);
    }

    [Fact]
    public void Weight_gradients_with_one_to_three_terms_per_element_match_the_triple_loop()
    {
        var rng = new Rng(11);
        for (int trial = 0; trial < 40; trial++)
        {
            int m = 4 + rng.NextInt(70), n = 1 + rng.NextInt(70), k = 1 + rng.NextInt(3);   // dW += dzᵀ h at batch 1 … 3
            bool ta = rng.NextInt(2) == 1;
            var a = Fill(rng, m * k, false, 1);
            var b = Fill(rng, k * n, false, 1);
            var c = Fill(rng, m * n, false, 1);
            var expected = Reference(ta, false, m, n, k, a, b, c);
            Gemm.Run(ta, false, m, n, k, a, 0, b, 0, c, 0);
            for (int q = 0; q < c.Length; q++) Assert.Equal(expected[q], c[q], 1e-13);
        }
    }

    [Fact]
    public void Batch_one_products_give_the_same_bits_as_one_dot_product_or_one_axpy_per_term()
    {
        // The four-at-a-time kernels (Dot4, Axpy4) must sum every element in exactly the order of Dot and Axpy.
        var rng = new Rng(12);
        foreach (int n in new[] { 1, 3, 4, 7, 64, 101 })
            foreach (int k in new[] { 1, 5, 8, 63, 100 })
            {
                var x = Fill(rng, k, false, 1);
                var w = Fill(rng, n * k, false, 1);                    // [n, k]
                var c = Fill(rng, n, false, 1);
                var viaDots = (double[])c.Clone();
                for (int j = 0; j < n; j++) viaDots[j] += Gemm.Dot(x, w.AsSpan(j * k, k));
                Gemm.Run(false, true, 1, n, k, x, 0, w, 0, c, 0);      // c += x Wᵀ
                Assert.Equal(viaDots, c);

                var wkn = Fill(rng, k * n, false, 1);                  // [k, n]
                var y = Fill(rng, n, false, 1);
                var viaAxpys = (double[])y.Clone();
                for (int p = 0; p < k; p++) Gemm.Axpy(x[p], wkn.AsSpan(p * n, n), viaAxpys);
                Gemm.Run(false, false, 1, n, k, x, 0, wkn, 0, y, 0);   // y += x W
                Assert.Equal(viaAxpys, y);

                int m = k;                                             // a rank-1 update, as dW += dzᵀ h at batch 1
                var dW = Fill(rng, m * n, false, 1);
                var viaRows = (double[])dW.Clone();
                for (int i = 0; i < m; i++) Gemm.Axpy(x[i], c, viaRows.AsSpan(i * n, n));
                Gemm.Run(true, false, m, n, 1, x, 0, c, 0, dW, 0);     // dW += xᵀ c  (x as a [1, m] row)
                Assert.Equal(viaRows, dW);
            }
    }

    [Fact]
    public void Offsets_into_larger_arrays_are_respected()
    {
        var rng = new Rng(5);
        int m = 6, n = 10, k = 9;
        var a = Fill(rng, m * k + 3, false, 1);
        var b = Fill(rng, k * n + 5, false, 1);
        var c = new double[m * n + 7];
        Gemm.Run(false, true, m, n, k, a, 3, b, 5, c, 7);
        var expected = Reference(false, true, m, n, k, a[3..], b[5..], new double[m * n]);
        for (int q = 0; q < m * n; q++) Assert.Equal(expected[q], c[7 + q], 1e-12);
        Assert.All(c[..7], v => Assert.Equal(0, v));
    }
}
