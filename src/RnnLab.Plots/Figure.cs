using DynamicObj;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace RnnLab.Plots;

/// <summary>
/// The few Plotly.NET calls every builder uses. A chart is plotly.js's own figure model:
/// traces (<c>heatmap</c>, <c>scatter</c>, <c>bar</c>) and a layout, each a bag of
/// plotly.js attributes. We set those attributes by their plotly.js names
/// (<c>.With("zmid", 0.0)</c>) so that every line can be looked up in the plotly.js
/// reference (https://plotly.com/javascript/reference/).
/// </summary>
internal static class Figure
{
    /// <summary>Sets one plotly.js attribute and returns the object, for chaining. A null value is left unset.</summary>
    public static T With<T>(this T obj, string attribute, object? value) where T : DynamicObj.DynamicObj
    {
        if (value is not null) obj.SetProperty(attribute, value);
        return obj;
    }

    public static Trace2D Trace(string type) => new(type);

    /// <summary>
    /// Combines traces and a layout into one chart (no Plotly.NET default template: <see cref="Style"/> is ours).
    /// The notes of <paramref name="gaps"/> (NaN drawn as gaps, …) are added above the plot, with room made for them.
    /// </summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout, Gaps gaps)
    {
        object[] notes = gaps.Annotations();
        if (notes.Length > 0)
        {
            var existing = layout.TryGetTypedPropertyValue<IEnumerable<object>>("annotations");
            layout.With("annotations", (existing is null ? [] : existing.Value).Concat(notes).ToArray());
            var margin = layout.TryGetTypedPropertyValue<Style.Margin>("margin");
            if (margin is not null) layout.With("margin", margin.Value with { t = margin.Value.t + Gaps.NoteHeight * notes.Length });
        }
        var chart = GenericChart.ofTraceObjects(false, traces.ToArray());
        chart = GenericChart.setLayout(layout, chart);
        return GenericChart.setConfig(new Config().With("responsive", true).With("displaylogo", false), chart);
    }

    public static LinearAxis Axis(string title) =>
        new LinearAxis()
            .With("title", new { text = title })
            .With("automargin", true)
            .With("showline", true)
            .With("linecolor", Style.AxisLineColor)
            .With("gridcolor", Style.GridColor)
            .With("zeroline", false);
}
