using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnLab.Notebooks.Tests.Harness;

/// <summary>
/// An .ipynb file read as JSON. RnnLab's own cell metadata lives under <c>metadata.rnnlab</c>
/// (see notebooks/README.md): <c>exercise</c> + <c>solution</c>, <c>check</c>, <c>charts</c>.
/// </summary>
public sealed class NotebookDoc
{
    public JsonObject Json { get; }
    public IReadOnlyList<NotebookCell> Cells { get; }

    private NotebookDoc(JsonObject json)
    {
        Json = json;
        var cells = json["cells"] as JsonArray ?? throw new InvalidDataException("notebook has no \"cells\" array");
        Cells = cells.Select((c, i) => new NotebookCell(i, c as JsonObject ?? throw new InvalidDataException($"cell {i} is not an object"))).ToArray();
    }

    public static NotebookDoc Load(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object"));

    public IEnumerable<NotebookCell> CodeCells => Cells.Where(c => c.IsCode);

    /// <summary>A copy in which every exercise cell holds its stored solution instead of the starter code.</summary>
    public NotebookDoc WithSolutions()
    {
        var copy = new NotebookDoc((JsonObject)Json.DeepClone());
        foreach (var cell in copy.Cells)
            if (cell.ExerciseId is not null)
                cell.Json["source"] = cell.Solution ?? throw new InvalidDataException($"exercise cell {cell.Index} ({cell.ExerciseId}) has no solution");
        return copy;
    }

    public void Save(string path) =>
        File.WriteAllText(path, Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
}

public sealed class NotebookCell(int index, JsonObject json)
{
    public int Index { get; } = index;
    public JsonObject Json { get; } = json;

    public string CellType => (string?)Json["cell_type"] ?? "";
    public bool IsCode => CellType == "code";
    public string Source => JoinLines(Json["source"]);
    public JsonObject? Metadata => Json["metadata"] as JsonObject;
    public JsonObject? RnnLab => Metadata?["rnnlab"] as JsonObject;

    /// <summary>The id of the exercise this cell holds (starter code the learner edits), if any.</summary>
    public string? ExerciseId => (string?)RnnLab?["exercise"];
    /// <summary>The stored correct answer for an exercise cell.</summary>
    public string? Solution => RnnLab?["solution"] is JsonNode s ? JoinLines(s) : null;
    /// <summary>The id of the exercise this cell checks, if any.</summary>
    public string? CheckId => (string?)RnnLab?["check"];
    /// <summary>How many charts (Plotly charts or RnnLab SVG heatmaps) this cell must draw.</summary>
    public int ExpectedCharts => RnnLab?["charts"] is JsonNode n ? (int)n : 0;

    public JsonArray Outputs => Json["outputs"] as JsonArray ?? [];

    /// <summary>"ename: evalue" (plus traceback) for each error output.</summary>
    public IEnumerable<string> Errors => Outputs.OfType<JsonObject>()
        .Where(o => (string?)o["output_type"] == "error")
        .Select(o => $"{(string?)o["ename"]}: {(string?)o["evalue"]}\n{JoinLines(o["traceback"])}".TrimEnd());

    /// <summary>The text/html payloads of the display and result outputs.</summary>
    public IEnumerable<string> HtmlOutputs => Outputs.OfType<JsonObject>()
        .Where(o => (string?)o["output_type"] is "display_data" or "execute_result")
        .Select(o => o["data"]?["text/html"]).Where(h => h is not null).Select(JoinLines);

    /// <summary>Plotly charts (one per output) plus RnnLab SVG heatmaps.</summary>
    public int ChartCount => HtmlOutputs.Count(h => h.Contains("renderPlotly", StringComparison.Ordinal))
        + HtmlOutputs.Sum(h => Occurrences(h, "class=\"rnnlab-heatmap\""));

    /// <summary>
    /// Charts a learner would see without a title: Plotly charts whose layout has no <c>title.text</c>, and SVG
    /// heatmaps drawn without a title (described by their position, e.g. "plotly chart 2 of the cell").
    /// </summary>
    public IEnumerable<string> UntitledCharts
    {
        get
        {
            var html = HtmlOutputs.ToArray();
            for (int k = 0; k < html.Length; k++)
            {
                if (html[k].Contains("renderPlotly", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(PlotlyTitle(html[k])))
                    yield return $"plotly chart in output {k + 1}";
                string[] svgs = html[k].Split("class=\"rnnlab-heatmap\"")[1..];
                for (int s = 0; s < svgs.Length; s++)
                {
                    // Show.Heatmap draws its title as the one bold text, before the first cell.
                    int rect = svgs[s].IndexOf("<rect", StringComparison.Ordinal);
                    int bold = svgs[s].IndexOf("font-weight=\"bold\"", StringComparison.Ordinal);
                    if (bold < 0 || (rect >= 0 && bold > rect)) yield return $"SVG heatmap {s + 1} in output {k + 1}";
                }
            }
        }
    }

    /// <summary>The <c>layout.title.text</c> of the Plotly chart in this output, or null.</summary>
    internal static string? PlotlyTitle(string html)
    {
        const string marker = "var layout = ";
        int at = html.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(html[(at + marker.Length)..]));
        using var layout = JsonDocument.ParseValue(ref reader);     // reads the one object literal and stops
        return layout.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.Object
            && title.TryGetProperty("text", out var text) ? text.GetString() : null;
    }

    public int PassedChecks => HtmlOutputs.Sum(h => Occurrences(h, "data-rnnlab-check=\"pass\""));
    public int FailedChecks => HtmlOutputs.Sum(h => Occurrences(h, "data-rnnlab-check=\"fail\""));

    public string Describe() => $"cell {Index}" + ((ExerciseId ?? CheckId) is { } id ? $" ({id})" : "") + ":\n" + Source;

    private static int Occurrences(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    internal static string JoinLines(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        _ => (string?)node ?? "",
    };
}
