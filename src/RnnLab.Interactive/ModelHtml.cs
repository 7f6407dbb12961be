using System.Text;
using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Interactive;

/// <summary>
/// A model summary: one row per parameter with its PyTorch name, shape, size and value statistics,
/// plus the gradient's norm once backward has run (a quick way to spot vanishing or exploding gradients).
/// </summary>
internal static class ModelHtml
{
    public static string Render(Module model)
    {
        var parameters = model.NamedParameters().ToList();
        bool anyGrad = parameters.Any(p => p.Value.Grad is not null);
        var headers = new List<string> { "parameter", "shape", "size", "mean", "std", "min", "max" };
        if (anyGrad) headers.Add("‖grad‖");
        var rows = parameters.Select(p =>
        {
            var (mean, std, min, max) = Stats(p.Value.Data);
            var row = new List<object?> { p.Name, Tensor.ShapeString(p.Value.Shape), p.Value.Size, mean, std, min, max };
            if (anyGrad) row.Add(p.Value.Grad is null ? null : Math.Sqrt(p.Value.Grad.Sum(g => g * g)));
            return (IReadOnlyList<object?>)row;
        });
        var sb = new StringBuilder("<div class=\"rnnlab-model\">");
        sb.Append($"<div style=\"{Html.Font};margin:2px 0 4px 0\"><b>").Append(Html.Escape(model.GetType().Name))
          .Append($"</b>: {parameters.Count} parameter tensors, {model.ParameterCount():N0} numbers")
          .Append(model.IsTraining ? "" : " (eval mode)").Append("</div>");
        sb.Append(Show.Table(headers, rows).Html);
        return sb.Append("</div>").ToString();
    }

    private static (double Mean, double Std, double Min, double Max) Stats(double[] xs)
    {
        if (xs.Length == 0) return (double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = xs.Average();
        double var = xs.Sum(x => (x - mean) * (x - mean)) / xs.Length;
        return (mean, Math.Sqrt(var), xs.Min(), xs.Max());
    }
}
