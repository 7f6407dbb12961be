namespace RnnLab.Analysis;

/// <summary>Small dense-matrix helpers on <c>double[,]</c> (row, column) used by the analysis routines.</summary>
public static class Matrices
{
    /// <summary>C = A · B.</summary>
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int m = a.GetLength(0), k = a.GetLength(1), n = b.GetLength(1);
        if (b.GetLength(0) != k)
            throw new RnnLabException($"Matrices.Multiply: cannot multiply [{m}, {k}] by [{b.GetLength(0)}, {n}]: inner sizes {k} and {b.GetLength(0)} differ");
        var c = new double[m, n];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
            {
                double aip = a[i, p];
                if (aip == 0) continue;
                for (int j = 0; j < n; j++) c[i, j] += aip * b[p, j];
            }
        return c;
    }

    public static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    /// <summary>The spectral norm ‖A‖₂ = σ_max(A): the most any vector can be stretched by A.</summary>
    public static double SpectralNorm(double[,] a)
    {
        var s = Svd.SingularValues(a);
        return s.Length == 0 ? 0 : s[0];
    }

    /// <summary>The matrix of a [rows, cols] tensor's values (row-major).</summary>
    public static double[,] FromRowMajor(double[] data, int rows, int cols, int offset = 0)
    {
        var m = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = data[offset + i * cols + j];
        return m;
    }

    /// <summary>A × factor, as a new matrix.</summary>
    public static double[,] Scale(double[,] a, double factor)
    {
        var m = (double[,])a.Clone();
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++) m[i, j] *= factor;
        return m;
    }
}
