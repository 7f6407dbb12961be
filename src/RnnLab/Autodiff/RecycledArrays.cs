using System.Runtime.CompilerServices;

namespace RnnLab.Autodiff;

/// <summary>
/// Where tensors get their large arrays (the .NET large-object heap's size and up: 85,000 bytes, 10,625 doubles). An
/// array the program can no longer reach is not given back to the operating system but handed out again, so a training
/// loop that makes the same tensors every step keeps reusing the same memory.
/// <para>
/// Why: the GC gives freed large-object memory back to the system and takes fresh pages for the next allocations, and
/// every fresh 4 KiB page costs a page fault on first write. W1 (bench/) made ~22 MB of large arrays per step, ~1,200
/// faults per step, a third of the step on this machine; on two threads the faults of one thread hold up the other.
/// With recycling: 0 faults per step in steady state.
/// </para>
/// <para>
/// How, without ever reusing memory someone still reads: each array handed out carries a small sentinel object that
/// lives exactly as long as the array (a <see cref="ConditionalWeakTable{TKey,TValue}"/> entry). When the GC finds the
/// array unreachable, the sentinel's finalizer runs and puts the array on the free list (finalization keeps what the
/// sentinel references alive). So an array comes back only when no tensor, gradient, user variable or tape node holds
/// it any more, whatever holds it. Contents of a reused array are whatever was left in it: <see cref="Uninitialized"/>
/// is for callers that write every value, <see cref="Zeroed"/> clears.
/// </para>
/// <para>
/// Arrays only come back after a GC, and a loop that takes its arrays from here hardly allocates, so the GC seldom runs
/// by itself: after <see cref="CollectAfterBytes"/> of new arrays handed out since the last collection, a request that
/// finds no free array of its length runs a full collection and waits for the finalizers first (W1: one collection
/// every ~3 steps, as often as the GC ran by itself before). At most <see cref="MaxFreeBytes"/> are kept free; beyond
/// that a dead array is left to the GC.
/// </para>
/// </summary>
internal static class RecycledArrays
{
    private const int MinLength = 85_000 / sizeof(double);
    private const long CollectAfterBytes = 64L << 20, MaxFreeBytes = 128L << 20;
    private static readonly Dictionary<int, Stack<double[]>> Free = [];
    private static readonly ConditionalWeakTable<double[], Sentinel> Sentinels = new();
    private static long _freeBytes, _handedOut, _handedOutAfterCollect;

    /// <summary>An array of exactly <paramref name="length"/> values with undefined contents: the caller writes every value.</summary>
    public static double[] Uninitialized(int length)
    {
        if (length < MinLength) return GC.AllocateUninitializedArray<double>(length);
        var array = TakeFree(length);
        if (array is null && Interlocked.Read(ref _handedOut) > Interlocked.Read(ref _handedOutAfterCollect) + CollectAfterBytes)
        {
            GC.Collect();                                                  // finds the dead arrays …
            GC.WaitForPendingFinalizers();                                 // … and their sentinels put them on the free list
            Interlocked.Exchange(ref _handedOutAfterCollect, Interlocked.Read(ref _handedOut));
            array = TakeFree(length);
        }
        array ??= GC.AllocateUninitializedArray<double>(length);
        Interlocked.Add(ref _handedOut, 8L * length);
        Sentinels.AddOrUpdate(array, new Sentinel(array));                // a reused array's old sentinel has run already
        return array;
    }

    /// <summary>An array of exactly <paramref name="length"/> zeros.</summary>
    public static double[] Zeroed(int length)
    {
        if (length < MinLength) return new double[length];
        var array = Uninitialized(length);
        Array.Clear(array);
        return array;
    }

    private static double[]? TakeFree(int length)
    {
        lock (Free)
        {
            if (!Free.TryGetValue(length, out var stack) || !stack.TryPop(out var array)) return null;
            _freeBytes -= 8L * length;
            return array;
        }
    }

    // On the finalizer thread, once the GC found the array unreachable.
    private static void GiveBack(double[] array)
    {
        Interlocked.Add(ref _handedOut, -8L * array.Length);
        lock (Free)
        {
            if (_freeBytes + 8L * array.Length > MaxFreeBytes) return;
            if (!Free.TryGetValue(array.Length, out var stack)) Free[array.Length] = stack = new Stack<double[]>();
            stack.Push(array);
            _freeBytes += 8L * array.Length;
        }
    }

    private sealed class Sentinel(double[] array)
    {
        ~Sentinel() => GiveBack(array);
    }
}
