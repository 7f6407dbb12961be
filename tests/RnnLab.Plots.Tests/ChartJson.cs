using System.Text.Json;
using Plotly.NET;
using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests;

/// <summary>A chart as the JSON plotly.js receives (Plotly.NET's serialisation), for assertions.</summary>
internal sealed class ChartJson
{
    public ChartJson(GenericChart chart) =>
        Root = JsonDocument.Parse(ChartHtml.FigureJson(chart).ToJsonString()).RootElement.Clone();

    public JsonElement Root { get; }
    public JsonElement Layout => Root.GetProperty("layout");
    public JsonElement[] Traces => Root.GetProperty("data").EnumerateArray().ToArray();
    public JsonElement Trace(int i) => Traces[i];
    public string[] TraceTypes => Traces.Select(t => t.GetProperty("type").GetString()!).ToArray();

    public string Title => Layout.GetProperty("title").GetProperty("text").GetString()!;
    public JsonElement Axis(string name) => Layout.GetProperty(name);
    public string AxisTitle(string name) => Axis(name).GetProperty("title").GetProperty("text").GetString()!;

    public string[] Annotations =>
        Layout.TryGetProperty("annotations", out var a) ? a.EnumerateArray().Select(x => x.GetProperty("text").GetString()!).ToArray() : [];

    public static double?[] Numbers(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()!).ToArray();
}
