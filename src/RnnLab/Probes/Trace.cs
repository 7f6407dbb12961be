using System.Text.Json.Serialization;

namespace RnnLab.Probes;

/// <summary>Which recurrent cell a trace was recorded from (read from the type of its step records).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CellKind>))]
public enum CellKind { Rnn, Lstm, Gru }

/// <summary>
/// Everything a probe saw during one forward (and backward) pass of a recurrent model, as plain arrays that charts,
/// notebooks and JSON read without touching the tape. See TRACE_SCHEMA.md for the JSON form.
/// <para>Axes: time-major jagged arrays, <c>[t][b][j]</c> = time step t (0 … Steps − 1), sequence b in the batch
/// (0 … Batch − 1), feature j. Gradient norms are Euclidean norms over the whole batch (all b and j) at one step.</para>
/// </summary>
/// <param name="Kind">The cell: Rnn, Lstm or Gru.</param>
/// <param name="Steps">T, the number of time steps.</param>
/// <param name="Batch">B, the number of sequences run side by side.</param>
/// <param name="InputSize">I, the size of x_t.</param>
/// <param name="HiddenSize">H, the size of h_t (and c_t).</param>
/// <param name="Tokens">[T] a label for each step's input (the character or word), or null.</param>
/// <param name="Input">[T][B][I] the inputs x_t, or null when they were not recorded.</param>
/// <param name="Layers">One entry per layer and direction, in PyTorch's order (layer·D + direction).</param>
/// <param name="Output">[T][B][O] the model's output at each step (logits for a model with a head), or null.</param>
/// <param name="Probabilities">[T][B][O] softmax of the logits (predicted next-symbol probabilities), or null.</param>
/// <param name="Targets">[T][B] the target class at each step, or null.</param>
/// <param name="StepLoss">[T] cross-entropy −log p(target) at each step, averaged over the batch (nats), or null.</param>
/// <param name="Loss">The scalar loss L that was backpropagated, or null for a forward-only trace.</param>
/// <param name="InputGradNorm">[T] ‖∂L/∂x_t‖, the saliency of each input step, or null.</param>
/// <param name="ParameterGradNorms">‖∂L/∂θ‖ for every parameter, by PyTorch name, or null.</param>
public sealed record Trace(
    CellKind Kind,
    int Steps,
    int Batch,
    int InputSize,
    int HiddenSize,
    string[]? Tokens,
    double[][][]? Input,
    LayerTrace[] Layers,
    double[][][]? Output,
    double[][][]? Probabilities,
    int[][]? Targets,
    double[]? StepLoss,
    double? Loss,
    double[]? InputGradNorm,
    NamedNorm[]? ParameterGradNorms)
{
    /// <summary>The trace of one layer (and direction).</summary>
    public LayerTrace Layer(int layer, bool reverse = false) =>
        Layers.FirstOrDefault(l => l.Layer == layer && l.Reverse == reverse)
        ?? throw new RnnLabException($"Trace: no {(reverse ? "reverse " : "")}layer {layer}; the trace has " +
                                     string.Join(", ", Layers.Select(l => $"{l.Layer}{(l.Reverse ? " reverse" : "")}")));

    /// <summary>The last layer, forward direction (the one a head reads).</summary>
    public LayerTrace LastLayer() => Layer(Layers.Max(l => l.Layer));
}

/// <summary>
/// One layer (and direction) of a trace. Arrays are [T][B][H] in time order (also for the reverse direction).
/// </summary>
/// <param name="Layer">Layer index, 0 = the one reading the input.</param>
/// <param name="Reverse">True for the backward direction of a bidirectional layer.</param>
/// <param name="H">[T][B][H] hidden state h_t after step t.</param>
/// <param name="C">[T][B][H] LSTM cell state c_t after step t; null for RNN and GRU.</param>
/// <param name="Gates">The gate activations in PyTorch's order: LSTM i, f, g, o; GRU r, z, n; none for a vanilla RNN.</param>
/// <param name="HGradNorm">[T] ‖∂L/∂h_t‖ (total derivative through every later step and the output), or null.</param>
/// <param name="CGradNorm">[T] ‖∂L/∂c_t‖ (LSTM), or null.</param>
public sealed record LayerTrace(
    int Layer,
    bool Reverse,
    double[][][] H,
    double[][][]? C,
    GateTrace[] Gates,
    double[]? HGradNorm,
    double[]? CGradNorm)
{
    /// <summary>The gate of that name ("i", "f", "g", "o", "r", "z", "n").</summary>
    public GateTrace Gate(string name) =>
        Gates.FirstOrDefault(g => g.Name == name)
        ?? throw new RnnLabException($"LayerTrace: no gate '{name}'; this layer has {(Gates.Length == 0 ? "no gates (vanilla RNN)" : string.Join(", ", Gates.Select(g => g.Name)))}");
}

/// <summary>One gate's activations, [T][B][H]: sigmoid gates in (0, 1), candidates (LSTM g, GRU n) in (−1, 1).</summary>
public sealed record GateTrace(string Name, double[][][] Values);

/// <summary>A named gradient norm ‖∂L/∂θ‖ (Frobenius norm over all elements of the parameter).</summary>
public sealed record NamedNorm(string Name, double Norm);
