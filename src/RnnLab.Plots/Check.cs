namespace RnnLab.Plots;

/// <summary>
/// Input checks shared by the chart builders. Each failure is an <see cref="RnnLabException"/>
/// that names the chart, says what was wrong and how to fix it.
/// </summary>
internal static class Check
{
    public static void NotNull(string chart, object? value, string what)
    {
        if (value is null) throw new RnnLabException($"{chart}: {what} is null; pass the recorded data.");
    }

    public static void NotEmpty(string chart, int count, string what)
    {
        if (count == 0)
            throw new RnnLabException($"{chart}: {what} is empty; there is nothing to draw. Record at least one time step first.");
    }

    public static void TokensMatchSteps(string chart, IReadOnlyList<string> tokens, int steps, string stepsWhat)
    {
        NotNull(chart, tokens, "the token list");
        if (tokens.Count != steps)
            throw new RnnLabException(
                $"{chart}: {tokens.Count} tokens for {steps} time steps ({stepsWhat}); " +
                "pass exactly one token per time step.");
    }

    public static void SameLength(string chart, int expected, int actual, string what, string reference)
    {
        if (expected != actual)
            throw new RnnLabException($"{chart}: {what} has {actual} values but {reference} has {expected}; they must match.");
    }

    /// <summary>A log axis needs at least one positive, finite value, or the chart would be empty.</summary>
    public static void LogScalable(string chart, string series, IReadOnlyList<double> values)
    {
        if (!values.Any(v => v > 0 && double.IsFinite(v)))
            throw new RnnLabException(
                $"{chart}: series '{series}' has no positive value to draw on a log scale " +
                $"(all {values.Count} values are zero, negative or NaN). A gradient norm that is exactly 0 " +
                "everywhere usually means the loss does not depend on these steps.");
    }

    public static void InRange(string chart, double value, double lo, double hi, string what)
    {
        if (!(value >= lo && value <= hi))
            throw new RnnLabException($"{chart}: {what} = {value} is outside {lo}..{hi}.");
    }
}
