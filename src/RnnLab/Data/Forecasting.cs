using RnnLab.Autodiff;

namespace RnnLab.Data;

/// <summary>
/// Sliding windows over a series: example i reads <see cref="InputWindow"/> values and predicts the next
/// <see cref="Horizon"/> values. <see cref="Inputs"/> is [N, W] and <see cref="Targets"/> is [N, H], row-major;
/// <see cref="TargetStart"/>[i] is the series index of example i's first target (its inputs are the W values before it).
/// </summary>
public sealed record WindowSet(double[] Inputs, double[] Targets, int[] TargetStart, int InputWindow, int Horizon)
{
    public int Count => TargetStart.Length;

    /// <summary>The inputs time-major for a recurrent network: [W, N, 1].</summary>
    public Tensor InputSequence()
    {
        var data = new double[InputWindow * Count];
        for (int i = 0; i < Count; i++)
            for (int t = 0; t < InputWindow; t++) data[t * Count + i] = Inputs[i * InputWindow + t];
        return new Tensor(data, InputWindow, Count, 1);
    }

    /// <summary>The targets [N, H].</summary>
    public Tensor TargetTensor() => new((double[])Targets.Clone(), Count, Horizon);
}

/// <summary>
/// A series prepared for forecasting without leakage from the future: split by time into
/// train [0, TrainEnd), validation [TrainEnd, ValidationEnd) and test [ValidationEnd, N); the
/// <see cref="Normaliser"/> is fitted on the training part only; every window's targets lie inside its own
/// part, and its inputs come strictly before its targets (a validation window may read the end of the
/// training part as its input: that is the past, not the future). All windows hold normalised values.
/// </summary>
public sealed record ForecastData(TimeSeries Series, Standardizer Normaliser, int TrainEnd, int ValidationEnd,
    WindowSet Train, WindowSet Validation, WindowSet Test);

public static class Forecasting
{
    /// <summary>Splits by time, fits the normaliser on the training part, and cuts windows for each part.</summary>
    public static ForecastData Prepare(TimeSeries series, int inputWindow, int horizon = 1,
        double trainFraction = 0.7, double validationFraction = 0.15)
    {
        ArgumentNullException.ThrowIfNull(series);
        CheckWindow("Forecasting.Prepare", inputWindow, horizon);
        if (!(trainFraction > 0 && validationFraction > 0 && trainFraction + validationFraction < 1))
            throw new RnnLabException($"Forecasting.Prepare: need trainFraction > 0, validationFraction > 0 and their sum < 1 (the rest is the test part); got {trainFraction} and {validationFraction}");
        int n = series.Count;
        int trainEnd = (int)Math.Round(n * trainFraction);
        int validationEnd = trainEnd + (int)Math.Round(n * validationFraction);

        var normaliser = Standardizer.Fit(series.Values.AsSpan(0, trainEnd));
        double[] z = normaliser.Transform(series.Values);
        WindowSet Part(string part, int start, int end)
        {
            WindowSet w = Windows(z, inputWindow, horizon, start, end);
            if (w.Count == 0)
                throw new RnnLabException($"Forecasting.Prepare: the {part} part of '{series.Name}' (indices {start} … {end - 1} of {n}) is too short for " +
                                          $"a window of {inputWindow} inputs and {horizon} targets; use a shorter window or a larger {part} fraction");
            return w;
        }
        return new ForecastData(series, normaliser, trainEnd, validationEnd,
            Part("training", 0, trainEnd), Part("validation", trainEnd, validationEnd), Part("test", validationEnd, n));
    }

    /// <summary>Every window over <paramref name="values"/> (no split, no normalisation).</summary>
    public static WindowSet SlidingWindows(double[] values, int inputWindow, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckWindow("Forecasting.SlidingWindows", inputWindow, horizon);
        return Windows(values, inputWindow, horizon, 0, values.Length);
    }

    /// <summary>
    /// Windows whose targets values[p … p+H) all lie in [firstTarget, endTarget), with inputs values[p−W … p).
    /// </summary>
    private static WindowSet Windows(double[] values, int w, int h, int firstTarget, int endTarget)
    {
        var starts = new List<int>();
        for (int p = Math.Max(firstTarget, w); p + h <= endTarget; p++) starts.Add(p);
        var inputs = new double[starts.Count * w];                                       // [N, W]
        var targets = new double[starts.Count * h];                                      // [N, H]
        for (int i = 0; i < starts.Count; i++)
        {
            Array.Copy(values, starts[i] - w, inputs, i * w, w);
            Array.Copy(values, starts[i], targets, i * h, h);
        }
        return new WindowSet(inputs, targets, [.. starts], w, h);
    }

    private static void CheckWindow(string op, int inputWindow, int horizon)
    {
        if (inputWindow < 1) throw new RnnLabException($"{op}: inputWindow must be at least 1, got {inputWindow}");
        if (horizon < 1) throw new RnnLabException($"{op}: horizon must be at least 1, got {horizon}");
    }
}
