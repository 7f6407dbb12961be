using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// What a sequence layer returns: every step's output, the final state, and every step's internals.
/// <list type="bullet">
/// <item><c>Output</c>: [T, B, D·H] (or [B, T, D·H] with batchFirst), the last layer's h_t for every t, the forward
///   direction's in the first H features and the backward direction's in the last H.</item>
/// <item><c>HN</c>: [L·D, B, H], the final hidden state of each layer and direction (index layer·D + direction;
///   for the backward direction "final" means after reading x_0).</item>
/// <item><c>CN</c>: [L·D, B, H], the final cell state (LSTM only; null otherwise).</item>
/// <item><c>Steps[layer·D + direction][t]</c>: the cell's step record (gates and all) at time t, in time order for
///   both directions, so probes can record internals without running the sequence again. A record is made when first
///   read (a training loop that never reads them pays nothing); it behaves as a stepped cell's: a loss on its tensors
///   reaches the weights, and after Backward() its h's (and c's) Grad is the total ∂L/∂h_t, whether it was read before
///   or after Backward().</item>
/// </list>
/// </summary>
public sealed record SequenceOutput<TStep>(Tensor Output, Tensor HN, Tensor? CN, IReadOnlyList<IReadOnlyList<TStep>> Steps);

/// <summary>
/// The machinery shared by <see cref="Rnn"/>, <see cref="Lstm"/> and <see cref="Gru"/> (PyTorch's <c>nn.RNN</c>,
/// <c>nn.LSTM</c>, <c>nn.GRU</c>): a grid of cells, one per layer and direction, each run over the whole sequence as one
/// fused op (<c>LstmSequenceOp</c>, <c>GruSequenceOp</c>, <c>RnnSequenceOp</c>: one tape node, one product for all steps'
/// inputs and one per weight gradient, as cuDNN does). A sequence layer and a hand-written loop over its cells' own
/// <c>Step</c> give the same outputs, h_n, c_n and step records, bit for bit; their gradients differ only by the order
/// of the sums (to rounding, ~1e-15 relative).
/// Parameters are the cells' tensors under PyTorch's names: <c>weight_ih_l0</c>, <c>weight_hh_l0</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, then <c>..._l0_reverse</c> for the backward direction, then <c>_l1</c>, ...
/// Layer l &gt; 0 reads the previous layer's outputs (both directions concatenated when bidirectional).
/// </summary>
public abstract class RecurrentLayer<TCell, TState, TStep> : Module
    where TCell : RecurrentCell, IRecurrentCell<TState, TStep>
    where TState : class
    where TStep : class, ICellStep<TState>
{
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bidirectional { get; }
    public bool BatchFirst { get; }

    /// <summary>D: 2 when bidirectional, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    private readonly TCell[] _cells;   // index layer·D + direction
    private readonly string _kind;

    protected RecurrentLayer(string kind, int inputSize, int hiddenSize, int numLayers, bool bidirectional, bool batchFirst,
                             Func<int, TCell> makeCell)
    {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new RnnLabException($"{kind}: inputSize, hiddenSize and numLayers must be positive, got {inputSize}, {hiddenSize}, {numLayers}");
        _kind = kind;
        InputSize = inputSize; HiddenSize = hiddenSize; NumLayers = numLayers;
        Bidirectional = bidirectional; BatchFirst = batchFirst;
        _cells = new TCell[numLayers * NumDirections];
        for (int layer = 0; layer < numLayers; layer++)
            for (int dir = 0; dir < NumDirections; dir++)
            {
                var cell = makeCell(layer == 0 ? inputSize : hiddenSize * NumDirections);
                _cells[layer * NumDirections + dir] = cell;
                string suffix = $"_l{layer}" + (dir == 1 ? "_reverse" : "");
                RegisterParameter("weight_ih" + suffix, cell.WeightIh);
                RegisterParameter("weight_hh" + suffix, cell.WeightHh);
                RegisterParameter("bias_ih" + suffix, cell.BiasIh);
                RegisterParameter("bias_hh" + suffix, cell.BiasHh);
            }
    }

    /// <summary>The cell of one layer and direction; it shares its parameters with this layer, so stepping it by hand gives the layer's numbers.</summary>
    public TCell Cell(int layer, bool reverse = false)
    {
        if ((uint)layer >= (uint)NumLayers || (reverse && !Bidirectional))
            throw new RnnLabException($"{_kind}.Cell: there is no {(reverse ? "reverse " : "")}cell in layer {layer} (layers 0 … {NumLayers - 1}, bidirectional: {Bidirectional})");
        return _cells[layer * NumDirections + (reverse ? 1 : 0)];
    }

    /// <summary>All cells, in parameter order (layer·D + direction).</summary>
    public IReadOnlyList<TCell> Cells => _cells;

    /// <summary>PyTorch's default initialisation for every cell: uniform in ±1/√H.</summary>
    public void ResetParameters(Rng rng) { foreach (var c in _cells) c.ResetParameters(rng); }

    /// <summary>Xavier/Glorot uniform per gate block, zero biases, for every cell.</summary>
    public void InitXavier(Rng rng) { foreach (var c in _cells) c.InitXavier(rng); }

    /// <summary>Orthogonal recurrent blocks, Xavier input blocks, zero biases, for every cell.</summary>
    public void InitOrthogonal(Rng rng, double gain = 1.0) { foreach (var c in _cells) c.InitOrthogonal(rng, gain); }

    /// <summary>Checks the input is [T, B, I] ([B, T, I] with batchFirst) and returns (T, B).</summary>
    protected (int T, int B) CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string layout = BatchFirst ? "[B, T, I] (batchFirst)" : "[T, B, I]";
        if (input.Rank != 3 || input.Shape[2] != InputSize)
            throw new RnnLabException($"{_kind}: expected input {layout} with I = {InputSize}, got {Tensor.ShapeString(input.Shape)}");
        int t = BatchFirst ? input.Shape[1] : input.Shape[0], b = BatchFirst ? input.Shape[0] : input.Shape[1];
        if (t < 1 || b < 1) throw new RnnLabException($"{_kind}: the input {Tensor.ShapeString(input.Shape)} has no time steps or no batch");
        return (t, b);
    }

    /// <summary>Checks an initial state tensor is [L·D, B, H] (or null).</summary>
    protected void CheckInitialState(Tensor? s, string name, int batch)
    {
        if (s is null) return;
        int ld = NumLayers * NumDirections;
        if (s.Rank != 3 || s.Shape[0] != ld || s.Shape[1] != batch || s.Shape[2] != HiddenSize)
            throw new RnnLabException($"{_kind}: expected {name} of shape [{ld}, {batch}, {HiddenSize}] (layers × directions, batch, hidden size), got {Tensor.ShapeString(s.Shape)}");
    }

    /// <summary>
    /// Runs every layer and direction over the sequence. <paramref name="initialState"/>(k) gives the starting state
    /// of cell k = layer·D + direction (null: zeros). Returns the output and the step records.
    /// </summary>
    protected (Tensor Output, IReadOnlyList<TStep>[] Steps) Run(Tensor input, Func<int, TState?> initialState)
    {
        CheckInput(input);
        using var packs = PackScope.Open();                                  // W_ihᵀ is packed once per layer
        int d = NumDirections;
        var x = input;                                                       // this layer's input, [T, B, I] or [B, T, I]
        var records = new IReadOnlyList<TStep>[NumLayers * d];
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var outputs = new Tensor[d];                                     // per direction, [T, B, H] or [B, T, H]
            for (int dir = 0; dir < d; dir++)
            {
                int k = layer * d + dir;
                (outputs[dir], records[k]) = RunSequence(_cells[k], x, initialState(k), reverse: dir == 1);
            }
            x = d == 1 ? outputs[0] : Tensor.Concat(outputs, axis: 2);      // next layer's input: [·, ·, D·H]
        }
        return (x, records);
    }

    /// <summary>
    /// One layer and direction over the whole sequence <paramref name="input"/> (this layer's layout): the outputs h_t
    /// ([T, B, H], or [B, T, H] batch first) and the step records in time order. The reverse direction reads x_{T−1} first.
    /// </summary>
    protected abstract (Tensor Output, IReadOnlyList<TStep> Steps) RunSequence(TCell cell, Tensor input, TState? initial, bool reverse);

    /// <summary>The final record of cell k: after the last step forward, after step 0 backward.</summary>
    protected TStep Final(IReadOnlyList<TStep>[] steps, int k) => k % NumDirections == 0 ? steps[k][^1] : steps[k][0];

    /// <summary>Stacks one [B, H] tensor per cell into [L·D, B, H].</summary>
    protected Tensor StackFinal(IReadOnlyList<TStep>[] steps, Func<TStep, Tensor> pick) =>
        Tensor.Stack(Enumerable.Range(0, steps.Length).Select(k => pick(Final(steps, k))).ToArray(), axis: 0);
}
