using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// The four parameters of a recurrent cell, as PyTorch names and shapes them, for G gates of size H:
/// <c>weight_ih</c> [G·H, I], <c>weight_hh</c> [G·H, H], <c>bias_ih</c> [G·H], <c>bias_hh</c> [G·H].
/// Gate k occupies rows k·H … (k+1)·H − 1 of each.
/// </summary>
public sealed record CellWeights(Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh);

/// <summary>What one time step of any cell produces: the new hidden state h and the state carried to the next step.</summary>
public interface ICellStep<TState>
{
    /// <summary>The hidden state h_t [B, H] (the cell's output at this step).</summary>
    Tensor H { get; }

    /// <summary>Everything the next step needs (h for RNN and GRU, (h, c) for LSTM).</summary>
    TState State { get; }
}

/// <summary>A cell that advances one time step: <c>Step(x_t [B, I], state_{t−1})</c> → the new state and the step's internals.</summary>
public interface IRecurrentCell<TState, TStep> where TState : class where TStep : ICellStep<TState>
{
    /// <summary>One time step; a null state means zeros.</summary>
    TStep Step(Tensor x, TState? state);
}

/// <summary>
/// What <see cref="RnnCell"/>, <see cref="LstmCell"/> and <see cref="GruCell"/> share: sizes, the four PyTorch-named
/// parameters (<see cref="CellWeights"/>), input checks, and initialisation schemes.
/// </summary>
public abstract class RecurrentCell : Module
{
    public int InputSize { get; }
    public int HiddenSize { get; }

    /// <summary>Number of gate blocks stacked in the weights: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).</summary>
    public int GateCount { get; }

    public Tensor WeightIh { get; }   // [G·H, I]
    public Tensor WeightHh { get; }   // [G·H, H]
    public Tensor BiasIh { get; }     // [G·H]
    public Tensor BiasHh { get; }     // [G·H]

    /// <summary>The parameters as one record, the form the cell equations take.</summary>
    public CellWeights Weights => new(WeightIh, WeightHh, BiasIh, BiasHh);

    private readonly string _kind;

    protected RecurrentCell(string kind, int inputSize, int hiddenSize, int gateCount, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputSize < 1 || hiddenSize < 1)
            throw new RnnLabException($"{kind}: inputSize and hiddenSize must be positive, got {inputSize} and {hiddenSize}");
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        GateCount = gateCount;
        WeightIh = RegisterParameter("weight_ih", Tensor.Zeros(gateCount * hiddenSize, inputSize));
        WeightHh = RegisterParameter("weight_hh", Tensor.Zeros(gateCount * hiddenSize, hiddenSize));
        BiasIh = RegisterParameter("bias_ih", Tensor.Zeros(gateCount * hiddenSize));
        BiasHh = RegisterParameter("bias_hh", Tensor.Zeros(gateCount * hiddenSize));
        ResetParameters(rng);
    }

    // ---- initialisation ---------------------------------------------------------------------

    /// <summary>PyTorch's default: every weight and bias uniform in ±1/√H.</summary>
    public void ResetParameters(Rng rng)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, rng, bound);
    }

    /// <summary>Xavier/Glorot uniform for each gate's block of both weights (fan_in I or H, fan_out H); zero biases.</summary>
    public void InitXavier(Rng rng)
    {
        ForEachGateBlock(WeightIh, block => Init.XavierUniform(block, rng));
        ForEachGateBlock(WeightHh, block => Init.XavierUniform(block, rng));
        ZeroBiases();
    }

    /// <summary>
    /// Each gate's recurrent block W_h· [H, H] orthogonal times <paramref name="gain"/> (Saxe et al. 2014), input blocks
    /// Xavier uniform, zero biases (the Keras/TensorFlow default for recurrent layers).
    /// </summary>
    public void InitOrthogonal(Rng rng, double gain = 1.0)
    {
        ForEachGateBlock(WeightIh, block => Init.XavierUniform(block, rng));
        ForEachGateBlock(WeightHh, block => Init.Orthogonal(block, rng, gain));
        ZeroBiases();
    }

    protected void ZeroBiases()
    {
        Init.Constant(BiasIh, 0);
        Init.Constant(BiasHh, 0);
    }

    // Initialises each gate's rows [k·H, (k+1)·H) of a weight as its own matrix (rows are contiguous in row-major order).
    private void ForEachGateBlock(Tensor weight, Action<Tensor> init)
    {
        int cols = weight.Shape[1], blockSize = HiddenSize * cols;
        for (int k = 0; k < GateCount; k++)
        {
            var block = Tensor.Zeros(HiddenSize, cols);
            init(block);
            Array.Copy(block.Data, 0, weight.Data, k * blockSize, blockSize);
        }
    }

    // ---- checks -----------------------------------------------------------------------------

    /// <summary>Checks x is [B, I] and returns B.</summary>
    protected int CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Shape[1] != InputSize)
            throw new RnnLabException($"{_kind}.Step: expected input x of shape [B, {InputSize}] (batch, input size), got {Tensor.ShapeString(x.Shape)}");
        return x.Shape[0];
    }

    /// <summary>A given state tensor, checked to be [B, H]; zeros when none is given.</summary>
    protected Tensor StateOrZeros(Tensor? s, string name, int batch)
    {
        if (s is null) return Tensor.Zeros(batch, HiddenSize);
        if (s.Rank != 2 || s.Shape[0] != batch || s.Shape[1] != HiddenSize)
            throw new RnnLabException($"{_kind}.Step: expected {name} of shape [{batch}, {HiddenSize}] (batch, hidden size) to match the input, got {Tensor.ShapeString(s.Shape)}");
        return s;
    }
}
