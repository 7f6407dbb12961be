using System.Runtime.CompilerServices;

namespace RnnLab.Autodiff;

/// <summary>
/// Where tensors and tape nodes get their large arrays (the .NET large-object heap's size and up: 85,000 bytes, 10,625
/// doubles). An array that is no longer used is not given back to the operating system but handed out again, so a
/// training loop that makes the same tensors every step keeps reusing the same memory.
/// <para>
/// Why: the GC gives freed large-object memory back to the system and takes fresh pages for the next allocations, and
/// every fresh 4 KiB page costs a page fault on first write. W1 (bench/) made ~22 MB of large arrays per step, ~1,200
/// faults per step, a third of the step on this machine; on two threads the faults of one thread hold up the other.
/// With recycling: 0 faults per step in steady state.
/// </para>
/// <para>
/// An array comes back in one of two ways, and never while something can still read it:
/// <list type="bullet">
/// <item><see cref="Return"/>: a tape node's scratch that only its own backward reads (an LSTM step's tanh c′, a
///   sequence's ∂L/∂z) is given back when Backward() frees the node.</item>
/// <item>Found by the GC: every array handed out carries a small sentinel object that lives exactly as long as the
///   array (a <see cref="ConditionalWeakTable{TKey,TValue}"/> entry). When the GC finds the array unreachable, the
///   sentinel's finalizer runs and puts the array on the free list (finalization keeps what the sentinel references
///   alive). So a tensor's data, a gradient or a layer's per-sequence gates come back only when no tensor, user
///   variable or tape node holds them any more.</item>
/// </list>
/// </para>
/// <para>
/// A loop that takes its arrays from here hardly allocates, so the GC seldom runs by itself: when a request finds no
/// free array of its length and more are in use than after the last collection by <see cref="CollectAfterBytes"/>, a
/// full collection runs and waits for the finalizers first (W1: one every ~2 steps, as often as the GC ran by itself
/// before). That amount is 32 MB, or half of everything else on the heap when that is more: a full collection marks all
/// of it, and a notebook kernel holds hundreds of MB of its own (W1-sized training beside 170 MB of small objects, on
/// the server GC a kernel uses, spent 27 of its 64–68 ms per step in collections at every 32 MB; 7–13 of 42–49 now).
/// After each full collection, of each length at most as many free arrays are kept as were taken since the collection
/// before (none of a finished experiment's sizes), and at most <see cref="MaxFreeBytes"/> at any time.
/// Contents of a reused array are whatever was left in it: <see cref="Uninitialized"/> is for callers that write every
/// value, <see cref="Zeroed"/> clears.
/// </para>
/// </summary>
internal static class RecycledArrays
{
    private const int MinLength = 85_000 / sizeof(double);
    private const long MinCollectAfterBytes = 32L << 20, MaxFreeBytes = 128L << 20;
    private static readonly Dictionary<int, FreeList> Free = [];
    private static readonly ConditionalWeakTable<double[], Sentinel> Sentinels = new();
    private static long _freeBytes, _inUse, _inUseAfterCollect, _collectAfterBytes = MinCollectAfterBytes;
    private static int _trimmedAt;

    /// <summary>An array of exactly <paramref name="length"/> values with undefined contents: the caller writes every value.</summary>
    public static double[] Uninitialized(int length)
    {
        if (length < MinLength) return GC.AllocateUninitializedArray<double>(length);
        var array = TakeFree(length);
        if (array is null && Interlocked.Read(ref _inUse) > Interlocked.Read(ref _inUseAfterCollect) + CollectAfterBytes)
        {
            Collect();
            array = TakeFree(length);
        }
        array ??= GC.AllocateUninitializedArray<double>(length);
        Interlocked.Add(ref _inUse, 8L * length);
        if (!Sentinels.TryGetValue(array, out var sentinel)) Sentinels.Add(array, new Sentinel(array));
        else if (sentinel.Ran) { sentinel.Ran = false; GC.ReRegisterForFinalize(sentinel); }   // came back through the GC;
        return array;                                                   // one given back by Return still has its sentinel waiting
    }

    /// <summary>An array of exactly <paramref name="length"/> zeros.</summary>
    public static double[] Zeroed(int length)
    {
        if (length < MinLength) return new double[length];
        var array = Uninitialized(length);
        Array.Clear(array);
        return array;
    }

    /// <summary>
    /// Gives back an array from <see cref="Uninitialized"/> that nothing will read again (a node's scratch; also what a
    /// sentinel does once the GC found its array unreachable, on the finalizer thread).
    /// </summary>
    public static void Return(double[] array)
    {
        if (array.Length < MinLength) return;
        Interlocked.Add(ref _inUse, -8L * array.Length);
        Keep(array);
    }

    private static double[]? TakeFree(int length)
    {
        lock (Free)
        {
            if (!Free.TryGetValue(length, out var list) || !list.Arrays.TryPop(out var array)) return null;
            list.Taken++;
            _freeBytes -= 8L * length;
            return array;
        }
    }

    private static void Keep(double[] array)
    {
        lock (Free)
        {
            Trim();
            if (_freeBytes + 8L * array.Length > MaxFreeBytes) { LetGo(array); return; }
            if (!Free.TryGetValue(array.Length, out var list)) Free[array.Length] = list = new FreeList();
            list.Arrays.Push(array);
            _freeBytes += 8L * array.Length;
        }
    }

    /// <summary>How many more bytes may be in use than after the last full collection before the next one runs.</summary>
    internal static long CollectAfterBytes => Interlocked.Read(ref _collectAfterBytes);

    internal static void Collect()
    {
        GC.Collect();                                      // finds the dead arrays …
        GC.WaitForPendingFinalizers();                     // … and their sentinels put them on the free list
        long inUse = Interlocked.Read(ref _inUse);
        Interlocked.Exchange(ref _inUseAfterCollect, inUse);
        long others = GC.GetTotalMemory(forceFullCollection: false) - inUse - Interlocked.Read(ref _freeBytes);
        Interlocked.Exchange(ref _collectAfterBytes, Math.Max(MinCollectAfterBytes, others / 2));
    }

    // After each full collection (the GC's or ours): keeps of each length at most as many free arrays as were taken
    // since the one before, and lets go of the rest (all of them for a length nobody asks for any more). Under the lock.
    private static void Trim()
    {
        int epoch = GC.CollectionCount(2);
        if (epoch == _trimmedAt) return;
        _trimmedAt = epoch;
        foreach (var (length, list) in Free.ToList())
        {
            while (list.Arrays.Count > list.Taken)
            {
                LetGo(list.Arrays.Pop());
                _freeBytes -= 8L * length;
            }
            if (list.Taken == 0) Free.Remove(length);
            list.Taken = 0;
        }
    }

    // An array no longer kept: once unreachable, the GC has it for good.
    private static void LetGo(double[] array)
    {
        if (Sentinels.TryGetValue(array, out var sentinel)) sentinel.LetGo = true;
    }

    private sealed class FreeList
    {
        public readonly Stack<double[]> Arrays = new();
        public int Taken;                                  // arrays taken since the last full collection
    }

    private sealed class Sentinel(double[] array)
    {
        public bool Ran, LetGo;

        ~Sentinel()
        {
            if (LetGo) return;
            Ran = true;
            Return(array);
        }
    }
}
