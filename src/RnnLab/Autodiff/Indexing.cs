namespace RnnLab.Autodiff;

// Integer indexing: row gather (embedding lookup) and one-hot encoding.
public sealed partial class Tensor
{
    /// <summary>
    /// Rows of <paramref name="table"/> [V, D] picked by <paramref name="indices"/>: Y[i, :] = table[indices[i], :], giving [n, D].
    /// This is an embedding lookup; backward scatter-adds, so a row used twice gets both gradients.
    /// </summary>
    public static Tensor GatherRows(Tensor table /* [V, D] */, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(indices);
        if (table.Rank != 2)
            throw new RnnLabException($"GatherRows: the table must be 2-D [V, D] (one row per index); got {ShapeString(table.Shape)}");
        int v = table.Shape[0], d = table.Shape[1];
        CheckIndices("GatherRows", indices, v, $"table {ShapeString(table.Shape)}");
        var y = Zeros(indices.Length, d);                                            // [n, D]
        for (int i = 0; i < indices.Length; i++)
            table.Data.AsSpan(indices[i] * d, d).CopyTo(y.Data.AsSpan(i * d, d));
        var idx = (int[])indices.Clone();

        return Record("GatherRows", y, [table], () =>
        {
            // dTable[indices[i], :] += dY[i, :]
            var dT = table.GradBuffer();
            for (int i = 0; i < idx.Length; i++) Gemm.Axpy(1, y.Grad.AsSpan(i * d, d), dT.AsSpan(idx[i] * d, d));
        });
    }

    /// <summary>Y[i, c] = 1 if c = indices[i] else 0: [n, classes]. A constant (records no gradient).</summary>
    public static Tensor OneHot(int[] indices, int classes)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (classes < 1) throw new RnnLabException($"OneHot: classes must be at least 1, got {classes}");
        CheckIndices("OneHot", indices, classes, $"{classes} classes");
        var y = Zeros(indices.Length, classes);
        for (int i = 0; i < indices.Length; i++) y.Data[i * classes + indices[i]] = 1;
        return y;
    }

    private static void CheckIndices(string op, int[] indices, int limit, string what)
    {
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)limit)
                throw new RnnLabException($"{op}: index {indices[i]} at position {i} is out of range 0 … {limit - 1} ({what})");
    }
}
