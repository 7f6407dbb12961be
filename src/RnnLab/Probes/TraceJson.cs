using System.Text.Json;
using System.Text.Json.Serialization;
using RnnLab.Data;

namespace RnnLab.Probes;

/// <summary>
/// A <see cref="Trace"/> as JSON (System.Text.Json), in the documented schema of TRACE_SCHEMA.md:
/// <code>{ "schema": "rnnlab.trace", "version": 1, "trace": { "kind": "Lstm", "steps": T, ..., "layers": [ ... ] } }</code>
/// Property names are the record's in camelCase; arrays are nested JSON arrays, time-major ([t][b][j]); numbers are
/// doubles written with full round-trip precision (NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity").
/// </summary>
public static class TraceJson
{
    public const string Schema = "rnnlab.trace";
    public const int Version = 1;

    private sealed record TraceFile(string Schema, int Version, Trace Trace);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>The trace as a JSON string (indented for reading when <paramref name="indented"/>).</summary>
    public static string Serialize(Trace trace, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return JsonSerializer.Serialize(new TraceFile(Schema, Version, trace), indented ? Indented : Options);
    }

    /// <summary>Reads a trace written by <see cref="Serialize"/>, checking the schema and that every array has its documented shape.</summary>
    public static Trace Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        TraceFile? file;
        try { file = JsonSerializer.Deserialize<TraceFile>(json, Options); }
        catch (JsonException e)
        {
            throw new RnnLabException($"TraceJson: not a valid trace file ({e.Message}). Write traces with TraceJson.Serialize or Save.");
        }
        if (file is null || file.Schema != Schema)
            throw new RnnLabException($"TraceJson: the JSON is not an RnnLab trace (expected \"schema\": \"{Schema}\", got {(file?.Schema is null ? "none" : $"\"{file.Schema}\"")})");
        if (file.Version != Version)
            throw new RnnLabException($"TraceJson: trace schema version {file.Version} is not supported (this RnnLab reads version {Version})");
        if (file.Trace is null) throw new RnnLabException("TraceJson: the file has no \"trace\" object");
        Validate(file.Trace);
        return file.Trace;
    }

    /// <summary>Writes the trace to a file atomically (a temp file renamed over the target), so a reader never sees half a trace.</summary>
    public static void Save(Trace trace, string path, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json = Serialize(trace, indented);
        string temp = TempFiles.Create(path);
        try
        {
            File.WriteAllText(temp, json);
            TempFiles.Commit(temp, path);
        }
        finally { TempFiles.Discard(temp); }
    }

    /// <summary>Reads a trace file written by <see cref="Save"/>.</summary>
    public static Trace Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new RnnLabException($"TraceJson: no trace file at '{path}'");
        return Deserialize(File.ReadAllText(path));
    }

    // ---- shape checks: a trace that loads is one charts can read without surprises ---------------------

    private static void Validate(Trace t)
    {
        if (t.Steps < 1 || t.Batch < 1 || t.HiddenSize < 1 || t.InputSize < 0)
            throw Bad($"steps, batch and hiddenSize must be positive (got {t.Steps}, {t.Batch}, {t.HiddenSize})");
        if (t.Layers is null || t.Layers.Length == 0) throw Bad("\"layers\" is missing or empty");
        if (t.Tokens is not null && t.Tokens.Length != t.Steps) throw Bad($"\"tokens\" has {t.Tokens.Length} labels for {t.Steps} steps");
        Grid("input", t.Input, t, t.InputSize);
        Grid("output", t.Output, t, null);
        Grid("probabilities", t.Probabilities, t, t.Output?[0][0].Length);
        if (t.Targets is not null && (t.Targets.Length != t.Steps || t.Targets.Any(r => r is null || r.Length != t.Batch)))
            throw Bad($"\"targets\" must be [{t.Steps}][{t.Batch}]");
        Series("stepLoss", t.StepLoss, t.Steps);
        Series("inputGradNorm", t.InputGradNorm, t.Steps);
        foreach (var layer in t.Layers)
        {
            if (layer is null) throw Bad("a layer entry is null");
            string name = $"layers[{layer.Layer}{(layer.Reverse ? " reverse" : "")}]";
            if (layer.H is null) throw Bad($"{name}.h is missing");
            Grid($"{name}.h", layer.H, t, t.HiddenSize);
            Grid($"{name}.c", layer.C, t, t.HiddenSize);
            if (layer.Gates is null) throw Bad($"{name}.gates is missing (use [] for a vanilla RNN)");
            foreach (var g in layer.Gates)
            {
                if (g?.Name is null || g.Values is null) throw Bad($"{name} has a gate without a name or values");
                Grid($"{name}.gates.{g.Name}", g.Values, t, t.HiddenSize);
            }
            Series($"{name}.hGradNorm", layer.HGradNorm, t.Steps);
            Series($"{name}.cGradNorm", layer.CGradNorm, t.Steps);
        }
    }

    // A [T][B][width] array (width null: any, but the same everywhere).
    private static void Grid(string name, double[][][]? g, Trace t, int? width)
    {
        if (g is null) return;
        if (g.Length != t.Steps) throw Bad($"\"{name}\" has {g.Length} steps, expected {t.Steps}");
        int? w = width;
        foreach (var step in g)
        {
            if (step is null || step.Length != t.Batch) throw Bad($"\"{name}\" must have {t.Batch} sequences at every step");
            foreach (var row in step)
            {
                w ??= row?.Length;
                if (row is null || row.Length != w) throw Bad($"\"{name}\" rows must each hold {w} values");
            }
        }
    }

    private static void Series(string name, double[]? s, int steps)
    {
        if (s is not null && s.Length != steps) throw Bad($"\"{name}\" has {s.Length} values for {steps} steps");
    }

    private static RnnLabException Bad(string what) => new($"TraceJson: malformed trace: {what}");
}
