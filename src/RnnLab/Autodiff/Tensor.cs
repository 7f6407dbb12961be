using System.Globalization;
using System.Text;

namespace RnnLab.Autodiff;

/// <summary>
/// An n-dimensional array of doubles (rank 0 to 4), stored contiguously in row-major order,
/// that remembers how it was computed so that <see cref="Backward()"/> can compute gradients.
/// Every op lives in its own file beside its backward (Elementwise.cs, MatMul.cs, ...).
/// </summary>
public sealed partial class Tensor
{
    public const int MaxRank = 4;

    /// <summary>The values, row-major: element [i, j] of a [M, N] tensor is Data[i * N + j].</summary>
    public double[] Data { get; }

    /// <summary>The sizes of each dimension; do not modify.</summary>
    public int[] Shape { get; }

    /// <summary>∂L/∂this after <see cref="Backward()"/>, same layout as <see cref="Data"/>; null until a gradient reaches it.</summary>
    public double[]? Grad { get; internal set; }

    /// <summary>True for parameters (leaves that collect gradients) and for anything computed from them.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>An optional label (parameter name, "h_3", ...) used in messages and traces.</summary>
    public string? Name { get; set; }

    /// <summary>The op that produced this tensor, with its backward; null for leaves and no-grad results.</summary>
    internal Node? GradFn { get; set; }

    public int Rank => Shape.Length;
    public int Size => Data.Length;

    public Tensor(double[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        CheckShape("Tensor", shape);
        long n = ShapeSize(shape);
        if (n != data.Length)
            throw new RnnLabException($"Tensor: shape {ShapeString(shape)} holds {n} values but {data.Length} were given");
        Data = data;
        Shape = (int[])shape.Clone();
    }

    // For ops: takes both arrays as they are, without the checks and the copy of the shape (the op has checked it).
    // The outputs of one op may share one shape array: shapes are never modified.
    private Tensor(int[] shape, double[] data)
    {
        Data = data;
        Shape = shape;
    }

    /// <summary>An op's output over <paramref name="data"/> with an already checked <paramref name="shape"/>, which it keeps (no copy).</summary>
    internal static Tensor Wrap(double[] data, int[] shape) => new(shape, data);

    // ---- creation ---------------------------------------------------------------------------

    public static Tensor Zeros(params int[] shape) => new(RecycledArrays.Zeroed(CheckedSize("Zeros", shape)), shape);

    public static Tensor Ones(params int[] shape) => Full(1.0, shape);

    public static Tensor Full(double value, params int[] shape)
    {
        var data = RecycledArrays.Uninitialized(CheckedSize("Full", shape));
        Array.Fill(data, value);
        return new Tensor(data, shape);
    }

    public static Tensor Scalar(double value) => new([value]);

    /// <summary>Copies <paramref name="values"/> into a new tensor of the given shape (a 1-D vector if none is given).</summary>
    public static Tensor FromArray(double[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Tensor((double[])values.Clone(), shape.Length == 0 ? [values.Length] : shape);
    }

    public static Tensor FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int m = values.GetLength(0), n = values.GetLength(1);
        var data = RecycledArrays.Uninitialized(m * n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) data[i * n + j] = values[i, j];
        return new Tensor(data, m, n);
    }

    /// <summary>Values drawn uniformly from [low, high) with the given generator.</summary>
    public static Tensor Uniform(Rng rng, double low, double high, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(low <= high)) throw new RnnLabException($"Uniform: low ({low}) must not exceed high ({high})");
        var data = RecycledArrays.Uninitialized(CheckedSize("Uniform", shape));
        for (int i = 0; i < data.Length; i++) data[i] = rng.Uniform(low, high);
        return new Tensor(data, shape);
    }

    /// <summary>Values drawn from N(mean, std²) with the given generator.</summary>
    public static Tensor Normal(Rng rng, double mean, double std, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0)) throw new RnnLabException($"Normal: std must be non-negative, got {std}");
        var data = RecycledArrays.Uninitialized(CheckedSize("Normal", shape));
        for (int i = 0; i < data.Length; i++) data[i] = rng.Normal(mean, std);
        return new Tensor(data, shape);
    }

    /// <summary>A parameter: a leaf that collects gradients.</summary>
    public static Tensor Parameter(Tensor init, string? name = null) =>
        new((double[])init.Data.Clone(), init.Shape) { RequiresGrad = true, Name = name };

    // ---- element access ---------------------------------------------------------------------

    /// <summary>Reads or writes one element, e.g. <c>t[1, 2]</c>. Writing does not record anything on the tape.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public double this[params int[] index]
    {
        get => Data[FlatIndex(index)];
        set => Data[FlatIndex(index)] = value;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Size != 1) throw new RnnLabException($"Item: only a one-element tensor has a single value; this one has shape {ShapeString(Shape)}");
        return Data[0];
    }

    /// <summary>The flat (row-major) position of a multi-index.</summary>
    public int FlatIndex(params int[] index)
    {
        if (index.Length != Rank)
            throw new RnnLabException($"Index: tensor of shape {ShapeString(Shape)} needs {Rank} indices, got {index.Length}");
        int flat = 0;
        for (int d = 0; d < Rank; d++)
        {
            if ((uint)index[d] >= (uint)Shape[d])
                throw new RnnLabException($"Index: index {index[d]} is out of range for dimension {d} of size {Shape[d]} (shape {ShapeString(Shape)})");
            flat = flat * Shape[d] + index[d];
        }
        return flat;
    }

    /// <summary>A copy of the values as a 1-D array.</summary>
    public double[] ToArray() => (double[])Data.Clone();

    /// <summary>∂L/∂this as a tensor of the same shape (zeros if no gradient reached it).</summary>
    public Tensor GradTensor() => new(Grad is null ? RecycledArrays.Zeroed(Size) : (double[])Grad.Clone(), Shape);

    /// <summary>Clears the accumulated gradient.</summary>
    public void ZeroGrad()
    {
        if (SharesGrad) { Grad = RecycledArrays.Zeroed(Size); SharesGrad = false; }   // leave the view's gradient alone
        else if (Grad is not null) Array.Clear(Grad);
    }

    // ---- shapes -----------------------------------------------------------------------------

    public static string ShapeString(int[] shape) => "[" + string.Join(", ", shape) + "]";

    internal static long ShapeSize(int[] shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    internal static void CheckShape(string op, int[] shape)
    {
        if (shape.Length > MaxRank)
            throw new RnnLabException($"{op}: shape {ShapeString(shape)} has rank {shape.Length}; RnnLab tensors have rank 0 to {MaxRank}");
        foreach (int d in shape)
            if (d < 0) throw new RnnLabException($"{op}: shape {ShapeString(shape)} has a negative size");
        if (ShapeSize(shape) > Array.MaxLength)
            throw new RnnLabException($"{op}: shape {ShapeString(shape)} has too many elements for one array");
    }

    private static int CheckedSize(string op, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        CheckShape(op, shape);
        return (int)ShapeSize(shape);
    }

    // ---- printing ---------------------------------------------------------------------------

    /// <summary>Shape, a summary of the values, and the values themselves when there are few.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor ").Append(ShapeString(Shape));
        if (Name is not null) sb.Append(" \"").Append(Name).Append('"');
        if (RequiresGrad) sb.Append(GradFn is null ? " (parameter)" : $" (grad_fn={GradFn.Op})");
        if (Size == 0) return sb.Append(" (empty)").ToString();
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        int nonFinite = 0;
        foreach (double v in Data)
        {
            if (!double.IsFinite(v)) { nonFinite++; continue; }
            min = Math.Min(min, v); max = Math.Max(max, v); sum += v;
        }
        if (Size > 1 && nonFinite < Size)
            sb.Append(CultureInfo.InvariantCulture, $" min {Fmt(min)}, max {Fmt(max)}, mean {Fmt(sum / (Size - nonFinite))}");
        if (nonFinite > 0) sb.Append(CultureInfo.InvariantCulture, $", {nonFinite} NaN/Inf");
        sb.AppendLine();
        AppendValues(sb, 0, 0, Size <= 64 ? int.MaxValue : 3);
        return sb.ToString().TrimEnd();
    }

    private static string Fmt(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    // Prints nested brackets; shows at most `edge` items at each end of a dimension.
    private void AppendValues(StringBuilder sb, int dim, int offset, int edge)
    {
        if (Rank == 0) { sb.Append(Fmt(Data[0])); return; }
        int n = Shape[dim], stride = 1;
        for (int d = dim + 1; d < Rank; d++) stride *= Shape[d];
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (n > 2 * edge && i == edge) { sb.Append(dim == Rank - 1 ? "..., " : "...,\n" + new string(' ', dim + 1)); i = n - edge; }
            if (dim == Rank - 1) sb.Append(Fmt(Data[offset + i]));
            else AppendValues(sb, dim + 1, offset + i * stride, edge);
            if (i < n - 1) sb.Append(dim == Rank - 1 ? ", " : ",\n" + new string(' ', dim + 1));
        }
        sb.Append(']');
    }
}
