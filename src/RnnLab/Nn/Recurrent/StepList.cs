using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A sequence layer's step records for one layer and direction, made when first read: a training loop that never
/// looks at them allocates none of their T × (state + gates) arrays. Reading step t makes its record once (the same
/// object from then on), before or after Backward().
/// </summary>
internal sealed class StepList<TStep>(int count, Func<int, TStep> make) : IReadOnlyList<TStep> where TStep : class
{
    private readonly TStep?[] _steps = new TStep?[count];

    public int Count => count;

    public TStep this[int t]
    {
        get
        {
            if ((uint)t >= (uint)count)
                throw new RnnLabException($"Steps: there is no step {t} in a sequence of {count} steps (0 … {count - 1})");
            return _steps[t] ??= make(t);
        }
    }

    public IEnumerator<TStep> GetEnumerator()
    {
        for (int t = 0; t < count; t++) yield return this[t];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
