namespace RnnLab.Autodiff;

/// <summary>
/// NumPy/PyTorch broadcasting: shapes are aligned on the right, and a dimension of size 1
/// (or a missing one) is repeated to match the other. [B, H] + [H] adds the bias row to every row.
/// </summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape of a and b, or an error naming the op and both shapes.</summary>
    public static int[] Shape(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new RnnLabException($"{op}: cannot broadcast {Tensor.ShapeString(a)} with {Tensor.ShapeString(b)}: " +
                                          $"dimension {i} (from the left of the broadcast shape) has sizes {da} and {db}; sizes must match or one must be 1");
            shape[i] = Math.Max(da, db);
        }
        return shape;
    }

    /// <summary>
    /// Strides of an operand of <paramref name="shape"/> read as if broadcast to <paramref name="outShape"/>,
    /// padded to rank 4 on the left; a broadcast dimension gets stride 0 so its one value is reused.
    /// </summary>
    public static int[] Strides(int[] shape, int[] outShape)
    {
        var strides = new int[Tensor.MaxRank];
        int stride = 1, offset = Tensor.MaxRank - outShape.Length, shift = outShape.Length - shape.Length;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int size = d - shift >= 0 ? shape[d - shift] : 1;
            strides[offset + d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }

    /// <summary>The output shape padded to rank 4 on the left with ones.</summary>
    public static int[] Pad4(int[] shape)
    {
        var padded = new[] { 1, 1, 1, 1 };
        shape.CopyTo(padded, Tensor.MaxRank - shape.Length);
        return padded;
    }
}

/// <summary>A body run for every output element o with the matching operand positions ia and ib.</summary>
internal interface IBroadcastKernel
{
    void Run(int o, int ia, int ib);
}

internal static class BroadcastLoop
{
    /// <summary>Calls <c>kernel.Run(o, ia, ib)</c> for every element of the broadcast output, in row-major order.</summary>
    public static void Run<TKernel>(int[] outShape, int[] aShape, int[] bShape, ref TKernel kernel)
        where TKernel : struct, IBroadcastKernel
    {
        int[] n = Broadcast.Pad4(outShape), sa = Broadcast.Strides(aShape, outShape), sb = Broadcast.Strides(bShape, outShape);
        int o = 0;
        for (int i0 = 0; i0 < n[0]; i0++)
            for (int i1 = 0; i1 < n[1]; i1++)
                for (int i2 = 0; i2 < n[2]; i2++)
                {
                    int ia = i0 * sa[0] + i1 * sa[1] + i2 * sa[2], ib = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
                    for (int i3 = 0; i3 < n[3]; i3++, o++, ia += sa[3], ib += sb[3])
                        kernel.Run(o, ia, ib);
                }
    }
}
