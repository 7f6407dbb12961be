namespace RnnLab.Autodiff;

/// <summary>
/// Switches recording on and off for the current thread. Inside <c>using (Tensor.NoGrad())</c>
/// ops compute values only: no nodes, no gradients, no memory kept for backward.
/// </summary>
internal static class GradMode
{
    [ThreadStatic] private static int _noGradDepth;
    [ThreadStatic] private static int _anomalyDepth;

    public static bool Enabled => _noGradDepth == 0;

    /// <summary>True while a Backward(retainGraph: true) runs on this thread: its graph may be walked again.</summary>
    [field: ThreadStatic] public static bool RetainingGraph { get; set; }
    public static bool DetectAnomaly => _anomalyDepth > 0;

    public static IDisposable EnterNoGrad() { _noGradDepth++; return new Exit(() => _noGradDepth--); }
    public static IDisposable EnterAnomaly() { _anomalyDepth++; return new Exit(() => _anomalyDepth--); }

    /// <summary>Records again even inside a NoGrad scope, until disposed (GradCheck needs a tape).</summary>
    public static IDisposable EnterGradEnabled()
    {
        int saved = _noGradDepth;
        _noGradDepth = 0;
        return new Exit(() => _noGradDepth = saved);
    }

    private sealed class Exit(Action onExit) : IDisposable
    {
        private Action? _onExit = onExit;
        public void Dispose() { _onExit?.Invoke(); _onExit = null; }
    }
}
