using System.Globalization;
using System.Text;

namespace RnnLab.Autodiff;

/// <summary>
/// Checks backward against calculus. For a function f of tensors it compares, for EVERY element x
/// of every input, the gradient from the tape with the central difference
/// <c>(S(x + h) − S(x − h)) / 2h</c>, where S = Σ_k w_k f(...)_k is a random weighted sum of the
/// output (weights drawn from <c>Rng(seed)</c>): a plain sum would hide bugs whose gradient of a sum
/// is zero, as in softmax. Everything is in double precision.
/// <para>
/// The relative error of one element is <c>|a − n| / max(1, |a|, |n|)</c> (a: analytic, n: numeric):
/// relative for gradients larger than 1, absolute for smaller ones, so the rounding noise of the
/// difference quotient (about 1e−16·|S| / h) cannot fail a vanishing gradient.
/// </para>
/// <para>
/// f must compute its output only from the tensors it is given (they are fresh copies of the inputs)
/// and be deterministic: create any <see cref="Rng"/> inside f. The inputs are never modified, and
/// gradients that f's backward adds to parameters it captures are put back as they were.
/// </para>
/// </summary>
public static class GradCheck
{
    public static GradCheckResult Check(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 0, double h = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new RnnLabException("GradCheck: needs at least one input tensor");
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new RnnLabException($"GradCheck: input {i} is null");
        if (!(h > 0) || !double.IsFinite(h)) throw new RnnLabException($"GradCheck: the step h must be positive and finite, got {h}");

        using var grad = GradMode.EnterGradEnabled();
        var xs = inputs.Select(x => new Tensor((double[])x.Data.Clone(), x.Shape) { RequiresGrad = true, Name = x.Name }).ToArray();

        // Analytic: backward of S = Σ_k w_k y_k, i.e. Backward with output gradient w.
        var y = f(xs) ?? throw new RnnLabException("GradCheck: the function returned null");
        var rng = new Rng(seed);
        var w = Tensor.Zeros(y.Shape);
        for (int k = 0; k < w.Size; k++) w.Data[k] = rng.Normal();
        if (y.RequiresGrad)
        {
            var captured = y.Leaves().Where(t => !xs.Contains(t)).Select(t => (Tensor: t, Grad: t.Grad?.Clone() as double[])).ToList();
            y.Backward(w);
            foreach (var (t, saved) in captured) t.Grad = saved;   // leave the caller's parameters as they were
        }

        // Numeric: central differences, one element at a time, without recording.
        var results = new GradCheckInput[xs.Length];
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < xs.Length; i++)
            {
                var x = xs[i];
                double[] analytic = x.Grad ?? new double[x.Size], numeric = new double[x.Size];
                for (int j = 0; j < x.Size; j++)
                {
                    double v = x.Data[j];
                    x.Data[j] = v + h; double plus = WeightedSum(f(xs), w, y.Shape);
                    x.Data[j] = v - h; double minus = WeightedSum(f(xs), w, y.Shape);
                    x.Data[j] = v;
                    numeric[j] = (plus - minus) / (2 * h);
                }
                results[i] = Compare(i, inputs[i], analytic, numeric);
            }
        }
        return new GradCheckResult(results);
    }

    /// <summary>
    /// Checks the gradients of tensors that <paramref name="f"/> captures rather than takes (a module's parameters,
    /// e.g. <c>model.NamedParameters()</c>): each element is nudged in place by ±h and put back, and compared with the
    /// tape's gradient of the same random weighted sum. The parameters' gradients are left as they were.
    /// </summary>
    public static GradCheckResult CheckParameters(IEnumerable<(string Name, Tensor Value)> parameters, Func<Tensor> f, ulong seed = 0, double h = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(f);
        var named = parameters.ToList();
        if (named.Count == 0) throw new RnnLabException("GradCheck.CheckParameters: there are no parameters to check");
        if (!(h > 0) || !double.IsFinite(h)) throw new RnnLabException($"GradCheck: the step h must be positive and finite, got {h}");

        using var grad = GradMode.EnterGradEnabled();
        var saved = named.Select(p => p.Value.Grad?.Clone() as double[]).ToList();
        foreach (var (_, p) in named) p.Grad = null;
        var y = f() ?? throw new RnnLabException("GradCheck: the function returned null");
        var rng = new Rng(seed);
        var w = Tensor.Zeros(y.Shape);
        for (int k = 0; k < w.Size; k++) w.Data[k] = rng.Normal();
        if (y.RequiresGrad) y.Backward(w);
        var analytic = named.Select(p => p.Value.Grad ?? new double[p.Value.Size]).ToList();
        for (int i = 0; i < named.Count; i++) named[i].Value.Grad = saved[i];

        var results = new GradCheckInput[named.Count];
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < named.Count; i++)
            {
                var (name, p) = named[i];
                var numeric = new double[p.Size];
                for (int j = 0; j < p.Size; j++)
                {
                    double v = p.Data[j];
                    p.Data[j] = v + h; double plus = WeightedSum(f(), w, y.Shape);
                    p.Data[j] = v - h; double minus = WeightedSum(f(), w, y.Shape);
                    p.Data[j] = v;
                    numeric[j] = (plus - minus) / (2 * h);
                }
                results[i] = Compare(i, new Tensor(p.Data, p.Shape) { Name = name }, analytic[i], numeric);
            }
        }
        return new GradCheckResult(results);
    }

    private static double WeightedSum(Tensor y, Tensor w, int[] shape)
    {
        if (!y.Shape.AsSpan().SequenceEqual(shape))
            throw new RnnLabException($"GradCheck: the function returned shape {Tensor.ShapeString(y.Shape)} on one call and {Tensor.ShapeString(shape)} on another; it must be deterministic");
        double s = 0;
        for (int k = 0; k < y.Size; k++) s += w.Data[k] * y.Data[k];
        return s;
    }

    private static GradCheckInput Compare(int index, Tensor input, double[] analytic, double[] numeric)
    {
        double maxAbs = 0, maxRel = 0;
        int worst = 0;
        for (int j = 0; j < analytic.Length; j++)
        {
            double a = analytic[j], n = numeric[j];
            double abs = Math.Abs(a - n), rel = abs / Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(n)));
            if (double.IsNaN(rel)) rel = abs = double.PositiveInfinity;   // NaN anywhere is a failure, not a pass
            maxAbs = Math.Max(maxAbs, abs);
            if (rel > maxRel || j == 0) { maxRel = rel; worst = j; }
        }
        return new GradCheckInput(index, input.Name ?? $"input {index}", (int[])input.Shape.Clone(), maxAbs, maxRel,
            Tensor.UnravelIndex(worst, input.Shape), analytic.Length == 0 ? 0 : analytic[worst], numeric.Length == 0 ? 0 : numeric[worst]);
    }
}

/// <summary>How one input's gradient compared: the worst element and its analytic and numeric values.</summary>
public sealed record GradCheckInput(int Index, string Name, int[] Shape, double MaxAbsError, double MaxRelError,
                                    int[] WorstIndex, double Analytic, double Numeric);

/// <summary>The outcome of <see cref="GradCheck.Check"/>, one entry per input.</summary>
public sealed record GradCheckResult(IReadOnlyList<GradCheckInput> Inputs)
{
    /// <summary>The largest relative error over all inputs (see <see cref="GradCheck"/> for its definition).</summary>
    public double MaxRelError => Inputs.Max(i => i.MaxRelError);

    public double MaxAbsError => Inputs.Max(i => i.MaxAbsError);

    /// <summary>True when every element's relative error is at most <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-6) => MaxRelError <= tolerance;

    /// <summary>A table: one line per input with its errors and the worst element.</summary>
    public override string ToString()
    {
        var ic = CultureInfo.InvariantCulture;
        var rows = Inputs.Select(i => new[]
        {
            i.Name, Tensor.ShapeString(i.Shape), i.MaxAbsError.ToString("0.00E+00", ic), i.MaxRelError.ToString("0.00E+00", ic),
            Tensor.ShapeString(i.WorstIndex), i.Analytic.ToString("G10", ic), i.Numeric.ToString("G10", ic),
        }).Prepend(["input", "shape", "max abs err", "max rel err", "worst at", "analytic", "numeric"]).ToList();
        var widths = Enumerable.Range(0, 7).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        sb.Append(ic, $"GradCheck: {(Passed() ? "passed" : "FAILED")} at tolerance 1e-6 (max relative error {MaxRelError:0.00E+00}; ");
        sb.AppendLine("relative error = |analytic − numeric| / max(1, |analytic|, |numeric|))");
        foreach (var r in rows)
            sb.AppendLine(string.Join("  ", r.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return sb.ToString().TrimEnd();
    }
}
