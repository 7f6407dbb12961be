namespace RnnLab.Autodiff;

// Shape ops: reshape, transpose, concat, stack, split, slice, select.
// Most of them read a tensor around one axis as a 3-D block [outer, n, inner]: `outer` counts
// the positions before the axis, `inner` the elements after it, so element (o, j, k) sits at
// (o · n + j) · inner + k. Moving a slab along the axis is then a contiguous copy of inner values.
public sealed partial class Tensor
{
    // ---- reshape ----------------------------------------------------------------------------

    /// <summary>
    /// The same values with a new shape (row-major order is kept). One size may be −1: it is
    /// inferred. Like PyTorch's <c>view</c>, the result shares this tensor's values. When the view is the only
    /// op that used this tensor, backward also lets the two share one gradient buffer instead of copying it.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var newShape = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < newShape.Length; d++)
        {
            if (newShape[d] == -1)
            {
                if (infer >= 0) throw new RnnLabException($"Reshape: {ShapeString(Shape)} to {ShapeString(shape)}: only one size may be -1");
                infer = d;
            }
            else if (newShape[d] < 0) throw new RnnLabException($"Reshape: {ShapeString(Shape)} to {ShapeString(shape)}: sizes must be non-negative (or -1 to infer one)");
            else known *= newShape[d];
        }
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new RnnLabException($"Reshape: cannot reshape {ShapeString(Shape)} ({Size} values) to {ShapeString(shape)}: " +
                                          $"{Size} is not a multiple of {known}");
            newShape[infer] = (int)(Size / known);
            known *= newShape[infer];
        }
        CheckShape("Reshape", newShape);
        if (known != Size)
            throw new RnnLabException($"Reshape: cannot reshape {ShapeString(Shape)} ({Size} values) to {ShapeString(shape)} ({known} values)");

        var x = this;
        var y = new Tensor(Data, newShape);
        return Record("Reshape", y, [x], () =>
        {
            // Same layout, so dX = dY element for element. When this view is x's only use and the graph is not kept for
            // another pass, dX is dY: share the buffer (a [B·T, H] head input's gradient is megabytes).
            double[] dY = y.Grad!;
            if (x.Grad is null && x.Uses == 1 && !GradMode.RetainingGraph) { x.ShareGradWith(y); return; }
            double[] dX = x.GradBuffer();
            for (int i = 0; i < dX.Length; i++) dX[i] += dY[i];
        });
    }

    // ---- transpose --------------------------------------------------------------------------

    /// <summary>Swaps the last two dimensions of a matrix [M, N] → [N, M] or a batch [S, M, N] → [S, N, M].</summary>
    public Tensor Transpose()
    {
        if (Rank is < 2 or > 3)
            throw new RnnLabException($"Transpose: swaps the last two dimensions of a 2-D or 3-D tensor; got {ShapeString(Shape)}. " +
                                      "Use Transpose(dim0, dim1) to name the dimensions.");
        return Transpose(Rank - 2, Rank - 1);
    }

    /// <summary>Swaps dimensions <paramref name="dim0"/> and <paramref name="dim1"/> (negative counts from the end). Copies the values.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int d0 = Axis("Transpose", dim0, Shape), d1 = Axis("Transpose", dim1, Shape);
        var shape = (int[])Shape.Clone();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        var x = this;
        var y = Zeros(shape);
        SwapDims(x.Data, x.Shape, d0, d1, y.Data);   // Y[.., j, .., i, ..] = X[.., i, .., j, ..]

        return Record("Transpose", y, [x], () =>
        {
            // dX is dY with the same two dimensions swapped back.
            var dX = x.GradBuffer();
            var swapped = RecycledArrays.Zeroed(dX.Length);
            SwapDims(y.Grad!, y.Shape, d0, d1, swapped);
            for (int i = 0; i < dX.Length; i++) dX[i] += swapped[i];
        });
    }

    // dst (shape of src with d0 and d1 swapped) = src with those dimensions swapped.
    private static void SwapDims(double[] src, int[] srcShape, int d0, int d1, double[] dst)
    {
        int rank = srcShape.Length, pad = MaxRank - rank;
        var srcStrides = new int[MaxRank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { srcStrides[pad + d] = s; s *= srcShape[d]; }
        (srcStrides[pad + d0], srcStrides[pad + d1]) = (srcStrides[pad + d1], srcStrides[pad + d0]);   // strides of src, in dst's order
        var n = Broadcast.Pad4(srcShape);
        (n[pad + d0], n[pad + d1]) = (n[pad + d1], n[pad + d0]);
        int o = 0;
        for (int i0 = 0; i0 < n[0]; i0++)
            for (int i1 = 0; i1 < n[1]; i1++)
                for (int i2 = 0; i2 < n[2]; i2++)
                {
                    int s = i0 * srcStrides[0] + i1 * srcStrides[1] + i2 * srcStrides[2];
                    for (int i3 = 0; i3 < n[3]; i3++, o++, s += srcStrides[3]) dst[o] = src[s];
                }
    }

    // ---- concat and stack ---------------------------------------------------------------------

    /// <summary>Joins tensors along an existing axis: [2, 3] and [2, 5] along axis 1 give [2, 8].</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis)
    {
        CheckList("Concat", xs);
        var first = xs[0].Shape;
        int ax = Axis("Concat", axis, first);
        var sizes = new int[xs.Count];
        for (int i = 0; i < xs.Count; i++)
        {
            var s = xs[i].Shape;
            bool same = s.Length == first.Length;
            for (int d = 0; same && d < s.Length; d++) same = d == ax || s[d] == first[d];
            if (!same)
                throw new RnnLabException($"Concat: along axis {ax} all sizes but that axis must match; got {ShapesString(xs)}");
            sizes[i] = s[ax];
        }
        var shape = (int[])first.Clone();
        shape[ax] = sizes.Sum();
        var (outer, _, inner) = AroundAxis(first, ax);
        return Join("Concat", xs, outer, sizes, inner, shape);
    }

    /// <summary>Stacks same-shaped tensors along a new axis: three [B, H] along axis 0 give [3, B, H].</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, int axis = 0)
    {
        CheckList("Stack", xs);
        var first = xs[0].Shape;
        foreach (var x in xs)
            if (!x.Shape.AsSpan().SequenceEqual(first))
                throw new RnnLabException($"Stack: all tensors must have the same shape; got {ShapesString(xs)}");
        int rank = first.Length + 1;
        if (axis < -rank || axis >= rank)
            throw new RnnLabException($"Stack: axis {axis} is out of range for stacking tensors of shape {ShapeString(first)} (valid: {-rank} to {rank - 1})");
        int ax = axis < 0 ? axis + rank : axis;
        var shape = first.Take(ax).Append(xs.Count).Concat(first.Skip(ax)).ToArray();
        CheckShape("Stack", shape);
        int outer = (int)ShapeSize(first[..ax]), inner = (int)ShapeSize(first[ax..]);
        return Join("Stack", xs, outer, Enumerable.Repeat(1, xs.Count).ToArray(), inner, shape);
    }

    // Y[o, off_i + j, k] = X_i[o, j, k] with off_i = n_0 + … + n_{i−1};  backward: dX_i[o, j, k] += dY[o, off_i + j, k].
    private static Tensor Join(string op, IReadOnlyList<Tensor> xs, int outer, int[] sizes, int inner, int[] shape)
    {
        var inputs = xs.ToArray();
        var y = new Tensor(RecycledArrays.Uninitialized((int)ShapeSize(shape)), shape);   // every value is written below
        int total = sizes.Sum();
        var offsets = new int[inputs.Length];
        for (int i = 1; i < inputs.Length; i++) offsets[i] = offsets[i - 1] + sizes[i - 1];
        long work = (long)total * outer * inner / Math.Max(1, inputs.Length);                  // values per input, on average
        Parallelism.For(inputs.Length, work, (i0, i1) =>                                        // each input fills its own slab of y
        {
            for (int i = i0; i < i1; i++)
                CopyBlock(inputs[i].Data, sizes[i], 0, y.Data, total, offsets[i], sizes[i], outer, inner, accumulate: false);
        });

        // The same tensor twice in the list (Stack([a, a])) adds twice to one gradient: then the inputs go one by one.
        bool distinct = inputs.Distinct(ReferenceEqualityComparer.Instance).Count() == inputs.Length;
        return Record(op, y, inputs, () =>
        {
            void AddGradients(int i0, int i1)
            {
                for (int i = i0; i < i1; i++)
                    if (inputs[i].RequiresGrad)
                        CopyBlock(y.Grad!, total, offsets[i], inputs[i].GradBuffer(), sizes[i], 0, sizes[i], outer, inner, accumulate: true);
            }
            if (distinct) Parallelism.For(inputs.Length, work, AddGradients);
            else AddGradients(0, inputs.Length);
        });
    }

    // ---- split, slice, select -------------------------------------------------------------------

    /// <summary>Cuts into <paramref name="chunks"/> equal pieces along an axis (like <c>torch.chunk</c>): [B, 4H] → four [B, H].</summary>
    public Tensor[] Split(int chunks, int axis)
    {
        int ax = Axis("Split", axis, Shape);
        if (chunks < 1 || Shape[ax] % chunks != 0)
            throw new RnnLabException($"Split: cannot cut axis {ax} of {ShapeString(Shape)} (size {Shape[ax]}) into {chunks} equal chunks; " +
                                      "the size must be a multiple of the chunk count (use Split(int[] sizes, axis) for unequal pieces)");
        return Split(Enumerable.Repeat(Shape[ax] / chunks, chunks).ToArray(), axis);
    }

    /// <summary>Cuts into pieces of the given sizes along an axis; the sizes must add up to the axis size.</summary>
    public Tensor[] Split(int[] sizes, int axis)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int ax = Axis("Split", axis, Shape);
        if (sizes.Any(s => s < 0) || sizes.Sum() != Shape[ax])
            throw new RnnLabException($"Split: sizes {ShapeString(sizes)} must be non-negative and add up to {Shape[ax]}, the size of axis {ax} of {ShapeString(Shape)}");
        var pieces = new Tensor[sizes.Length];
        for (int i = 0, start = 0; i < sizes.Length; start += sizes[i], i++) pieces[i] = Slice(ax, start, sizes[i]);
        return pieces;
    }

    /// <summary>The <paramref name="length"/> entries from <paramref name="start"/> along an axis; the axis is kept (size <paramref name="length"/>).</summary>
    public Tensor Slice(int axis, int start, int length)
    {
        int ax = Axis("Slice", axis, Shape);
        if (start < 0 || length < 0 || start + (long)length > Shape[ax])
            throw new RnnLabException($"Slice: start {start} and length {length} do not fit in axis {ax} of {ShapeString(Shape)} (size {Shape[ax]})");
        var shape = (int[])Shape.Clone();
        shape[ax] = length;
        return Cut("Slice", ax, start, length, shape);
    }

    /// <summary>Entry <paramref name="index"/> along an axis, with that axis removed: step t of [T, B, I] is <c>x.Select(0, t)</c> → [B, I].</summary>
    public Tensor Select(int axis, int index)
    {
        int ax = Axis("Select", axis, Shape);
        if (index < 0 || index >= Shape[ax])
            throw new RnnLabException($"Select: index {index} is out of range for axis {ax} of {ShapeString(Shape)} (size {Shape[ax]})");
        return Cut("Select", ax, index, 1, Shape.Where((_, d) => d != ax).ToArray());
    }

    // Y[o, j, k] = X[o, start + j, k];  backward: dX[o, start + j, k] += dY[o, j, k].
    private Tensor Cut(string op, int ax, int start, int length, int[] shape)
    {
        var x = this;
        var (outer, n, inner) = AroundAxis(Shape, ax);
        var y = Zeros(shape);
        CopyBlock(x.Data, n, start, y.Data, length, 0, length, outer, inner, accumulate: false);
        return Record(op, y, [x], () => CopyBlock(y.Grad!, length, 0, x.GradBuffer(), n, start, length, outer, inner, accumulate: true));
    }

    // For every o < outer: dst[o, dstStart .. dstStart+count, :] (=|+=) src[o, srcStart .. srcStart+count, :],
    // where src has srcN entries along the axis and dst has dstN.
    private static void CopyBlock(double[] src, int srcN, int srcStart, double[] dst, int dstN, int dstStart, int count, int outer, int inner, bool accumulate)
    {
        int len = count * inner;
        for (int o = 0; o < outer; o++)
        {
            var from = src.AsSpan((o * srcN + srcStart) * inner, len);
            var to = dst.AsSpan((o * dstN + dstStart) * inner, len);
            if (accumulate) Gemm.Axpy(1, from, to);
            else from.CopyTo(to);
        }
    }

    // ---- helpers shared by the axis ops ---------------------------------------------------------

    /// <summary>Checks an axis (negative counts from the end) and returns it as 0 … rank−1.</summary>
    internal static int Axis(string op, int axis, int[] shape)
    {
        int rank = shape.Length;
        if (axis < -rank || axis >= rank)
            throw new RnnLabException(rank == 0
                ? $"{op}: a scalar (shape []) has no axis {axis}"
                : $"{op}: axis {axis} is out of range for shape {ShapeString(shape)} (valid: {-rank} to {rank - 1})");
        return axis < 0 ? axis + rank : axis;
    }

    /// <summary>The shape read as [outer, n, inner] around <paramref name="axis"/>.</summary>
    internal static (int Outer, int N, int Inner) AroundAxis(int[] shape, int axis) =>
        ((int)ShapeSize(shape[..axis]), shape[axis], (int)ShapeSize(shape[(axis + 1)..]));

    private static void CheckList(string op, IReadOnlyList<Tensor> xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Count == 0) throw new RnnLabException($"{op}: needs at least one tensor; the list is empty");
        for (int i = 0; i < xs.Count; i++)
            if (xs[i] is null) throw new RnnLabException($"{op}: tensor {i} of the list is null");
    }

    private static string ShapesString(IEnumerable<Tensor> xs) => string.Join(", ", xs.Select(x => ShapeString(x.Shape)));
}
