using System.Buffers;

namespace RnnLab.Autodiff;

/// <summary>
/// While open (on this thread), the matrix multiply keeps each op(B) panel it packs and reuses it when the same array
/// is multiplied again with the same offset, shape and layout: a recurrent layer's forward multiplies by the same W_hhᵀ
/// (and gathers rows of the same W_ihᵀ for one-hot inputs) at every time step, and packing (a transposed copy of the
/// whole weight) would otherwise be redone T times, on one thread. Only for code that does not change an operand's
/// values while the scope is open (a layer's forward reads its weights, never writes them). Disposing gives the panels
/// back.
/// </summary>
internal sealed class PackScope : IDisposable
{
    [ThreadStatic] private static PackScope? _current;

    private readonly PackScope? _outer;
    private readonly List<(double[] Data, int Offset, int RowStride, int ColStride, int K, int N, double[] Panel)> _panels = [];

    private PackScope(PackScope? outer) => _outer = outer;

    public static PackScope Open() => _current = new PackScope(_current);

    /// <summary>The open scope on this thread, or null.</summary>
    public static PackScope? Current => _current;

    public bool TryGet(double[] data, int offset, int rowStride, int colStride, int k, int n, out double[] panel)
    {
        foreach (var p in _panels)
            if (ReferenceEquals(p.Data, data) && p.Offset == offset && p.RowStride == rowStride && p.ColStride == colStride && p.K == k && p.N == n)
            {
                panel = p.Panel;
                return true;
            }
        panel = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="panel"/> (rented from the shared ArrayPool) until the scope is disposed.</summary>
    public void Add(double[] data, int offset, int rowStride, int colStride, int k, int n, double[] panel) =>
        _panels.Add((data, offset, rowStride, colStride, k, n, panel));

    public void Dispose()
    {
        if (_current != this) return;
        foreach (var p in _panels) ArrayPool<double>.Shared.Return(p.Panel);
        _panels.Clear();
        _current = _outer;
    }
}
