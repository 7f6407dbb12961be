using RnnLab.Autodiff;

namespace RnnLab.Interactive;

/// <summary>
/// Exercise checks. Put one in the cell after an exercise; it shows a green or red box and returns the
/// <see cref="CheckResult"/>. Checks never throw: an exception from the learner's code becomes a red box
/// that quotes it, so the notebook keeps running.
/// </summary>
public static class Check
{
    /// <summary>Passes when <paramref name="condition"/> is true. <paramref name="hint"/> is shown only on failure.</summary>
    public static CheckResult That(bool condition, string message, string? hint = null) =>
        new(condition, message, condition ? null : hint);

    /// <summary>Runs <paramref name="test"/>; passes when it returns true. An exception fails the check and is quoted.</summary>
    public static CheckResult That(Func<bool> test, string message, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        try
        {
            return That(test(), message, hint);
        }
        catch (Exception e)
        {
            return new CheckResult(false, message, $"{e.GetType().Name}: {e.Message}" + (hint is null ? "" : "\n" + hint));
        }
    }

    /// <summary>Passes when |actual − expected| ≤ tol·max(1, |expected|).</summary>
    public static CheckResult Close(double actual, double expected, string what, double tol = 1e-6)
    {
        bool ok = double.IsFinite(actual) && Math.Abs(actual - expected) <= tol * Math.Max(1, Math.Abs(expected));
        return new CheckResult(ok, ok ? $"{what} = {ColorScale.Format(actual)}" : $"{what} is not right yet",
            ok ? null : $"expected {ColorScale.Format(expected)}, got {ColorScale.Format(actual)}");
    }

    /// <summary>Passes when both tensors have the same shape and every element is within tol·max(1, |expected|).</summary>
    public static CheckResult Close(Tensor actual, Tensor expected, string what, double tol = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null) return new CheckResult(false, $"{what} is not right yet", "got null; compute a tensor first");
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new CheckResult(false, $"{what} has the wrong shape",
                $"expected shape {Tensor.ShapeString(expected.Shape)}, got {Tensor.ShapeString(actual.Shape)}");
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < expected.Size; i++)
        {
            double err = Math.Abs(actual.Data[i] - expected.Data[i]) / Math.Max(1, Math.Abs(expected.Data[i]));
            if (!double.IsFinite(actual.Data[i])) err = double.PositiveInfinity;
            if (err > worstErr) (worst, worstErr) = (i, err);
        }
        bool ok = worstErr <= tol;
        return new CheckResult(ok, ok ? $"{what} matches (largest error {ColorScale.Format(worstErr)})" : $"{what} is not right yet",
            ok ? null : $"element {worst} (flat index): expected {ColorScale.Format(expected.Data[worst])}, got {ColorScale.Format(actual.Data[worst])}");
    }

    /// <summary>Passes when the gradient check passed at <paramref name="tol"/>; on failure the detail is the check's table.</summary>
    public static CheckResult Gradients(GradCheckResult result, string what, double tol = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool ok = result.Passed(tol);
        return new CheckResult(ok,
            ok ? $"the gradients of {what} match central differences (max relative error {ColorScale.Format(result.MaxRelError)})"
               : $"the gradients of {what} do not match central differences",
            ok ? null : result.ToString());
    }
}
