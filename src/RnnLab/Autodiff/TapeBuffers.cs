namespace RnnLab.Autodiff;

/// <summary>
/// Arrays that only a tape node's own backward reads (an LSTM step's tanh c′, a GRU step's h W_hhᵀ + b_hh), never a
/// tensor a user can hold. A node gives them back when Backward() frees it, and the next forward takes them again, so a
/// training loop stops allocating them every step. Exact lengths, contents not cleared (the taker overwrites them);
/// at most <see cref="MaxBytes"/> are kept. Arrays never given back (a graph that is never backpropagated) are simply
/// collected by the GC.
/// </summary>
internal static class TapeBuffers
{
    private const long MaxBytes = 64L << 20;
    private static readonly Dictionary<int, Stack<double[]>> Free = [];
    private static long _heldBytes;

    /// <summary>An array of exactly <paramref name="length"/> values with undefined contents.</summary>
    public static double[] Rent(int length)
    {
        lock (Free)
            if (Free.TryGetValue(length, out var stack) && stack.TryPop(out var buffer))
            {
                _heldBytes -= 8L * length;
                return buffer;
            }
        return GC.AllocateUninitializedArray<double>(length);
    }

    public static void Return(double[] buffer)
    {
        lock (Free)
        {
            if (_heldBytes + 8L * buffer.Length > MaxBytes) return;
            if (!Free.TryGetValue(buffer.Length, out var stack)) Free[buffer.Length] = stack = new Stack<double[]>();
            stack.Push(buffer);
            _heldBytes += 8L * buffer.Length;
        }
    }
}
