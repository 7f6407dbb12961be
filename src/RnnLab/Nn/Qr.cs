namespace RnnLab.Nn;

/// <summary>QR decomposition by Householder reflections: just enough linear algebra for orthogonal initialisation.</summary>
internal static class Qr
{
    /// <summary>
    /// For A [m, n] with m ≥ n, returns Q [m, n] with orthonormal columns such that A = Q R, R upper triangular
    /// with a non-negative diagonal (Q's columns are flipped where diag(R) was negative, as PyTorch's
    /// <c>orthogonal_</c> does, so Q is uniformly (Haar) distributed).
    /// </summary>
    public static double[,] OrthonormalColumns(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        if (m < n) throw new RnnLabException($"Qr: needs at least as many rows as columns, got [{m}, {n}]");
        var r = (double[,])a.Clone();
        var vs = new double[n][];   // Householder vectors: H_k = I − 2 v vᵀ (‖v‖ = 1)
        for (int k = 0; k < n; k++)
        {
            // v = x + sign(x₀)‖x‖e₀ for x = R[k.., k], normalised; H_k x = −sign(x₀)‖x‖e₀.
            var v = new double[m - k];
            double norm = 0;
            for (int i = k; i < m; i++) { v[i - k] = r[i, k]; norm += r[i, k] * r[i, k]; }
            norm = Math.Sqrt(norm);
            v[0] += (v[0] >= 0 ? 1 : -1) * norm;
            double vNorm = Math.Sqrt(v.Sum(x => x * x));
            if (vNorm > 0) for (int i = 0; i < v.Length; i++) v[i] /= vNorm;
            vs[k] = v;
            // R ← H_k R on rows k.., columns k..
            for (int j = k; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i - k] * r[i, j];
                for (int i = k; i < m; i++) r[i, j] -= 2 * v[i - k] * dot;
            }
        }
        // Q = H_0 H_1 ... H_{n−1} applied to the first n columns of I.
        var q = new double[m, n];
        for (int j = 0; j < n; j++) q[j, j] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            var v = vs[k];
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = k; i < m; i++) dot += v[i - k] * q[i, j];
                for (int i = k; i < m; i++) q[i, j] -= 2 * v[i - k] * dot;
            }
        }
        // Make diag(R) non-negative: flip column j of Q where R[j, j] < 0.
        for (int j = 0; j < n; j++)
            if (r[j, j] < 0)
                for (int i = 0; i < m; i++) q[i, j] = -q[i, j];
        return q;
    }
}
