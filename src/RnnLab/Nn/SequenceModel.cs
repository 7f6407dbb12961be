using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// The state a whole sequence layer carries between calls: h [L·D, B, H], and c [L·D, B, H] for an LSTM.
/// Truncated BPTT carries it across chunks <see cref="Detach"/>ed.
/// </summary>
public sealed record RecurrentState(Tensor H, Tensor? C = null)
{
    /// <summary>The same values cut from the tape: gradients stop here.</summary>
    public RecurrentState Detach() => new(H.Detach(), C?.Detach());

    /// <summary>
    /// The same values, but gradients flowing back through them are multiplied by <paramref name="factor"/>
    /// (computed as s̄ + factor·(s − s̄) with s̄ = s detached: the forward value is exactly s, the derivative is factor).
    /// Randomised truncation uses it to reweight the gradient that crosses a point where it could have been cut.
    /// </summary>
    public RecurrentState ScaleGradient(double factor) => new(Scale(H, factor), C is null ? null : Scale(C, factor));

    private static Tensor Scale(Tensor s, double factor)
    {
        var constant = s.Detach();
        return constant + (s - constant) * factor;
    }
}

/// <summary>A model that reads inputs [T, B, I], carries a <see cref="RecurrentState"/>, and gives outputs [T, B, O]: what the trainer and BPTT drive.</summary>
public interface IRecurrentModel
{
    /// <summary>Runs the sequence from <paramref name="state"/> (null: zeros) and returns every step's output and the final state.</summary>
    (Tensor Output, RecurrentState State) Forward(Tensor inputs, RecurrentState? state = null);

    IEnumerable<Tensor> Parameters();
    void Train();
    void Eval();
}

/// <summary>Which recurrent layer a <see cref="SequenceModel"/> uses.</summary>
public enum RecurrentKind { RnnTanh, RnnRelu, Lstm, Gru }

/// <summary>
/// A recurrent layer followed by a linear read-out at every step: inputs [T, B, I] → outputs [T, B, O] (class scores or values).
/// Its fields are named as a PyTorch model with attributes <c>rnn</c> and <c>head</c> would be, so parameter names are
/// <c>rnn.weight_ih_l0</c>, ..., <c>head.weight</c>, <c>head.bias</c>, and checkpoints load in PyTorch.
/// </summary>
public sealed class SequenceModel : Module, IRecurrentModel
{
    public RecurrentKind Kind { get; }
    public int InputSize { get; }
    public int HiddenSize { get; }
    public int OutputSize { get; }
    public int NumLayers { get; }

    /// <summary>The recurrent layer: an <see cref="Rnn"/>, <see cref="Lstm"/> or <see cref="Gru"/>.</summary>
    public Module Recurrent { get; }

    /// <summary>The read-out: Linear(H, O) applied at every step.</summary>
    public Linear Head { get; }

    public SequenceModel(RecurrentKind kind, int inputSize, int hiddenSize, int outputSize, Rng rng, int numLayers = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Kind = kind; InputSize = inputSize; HiddenSize = hiddenSize; OutputSize = outputSize; NumLayers = numLayers;
        Recurrent = RegisterModule<Module>("rnn", kind switch
        {
            RecurrentKind.Lstm => new Lstm(inputSize, hiddenSize, rng, numLayers),
            RecurrentKind.Gru => new Gru(inputSize, hiddenSize, rng, numLayers),
            RecurrentKind.RnnRelu => new Rnn(inputSize, hiddenSize, rng, numLayers, Nonlinearity.Relu),
            _ => new Rnn(inputSize, hiddenSize, rng, numLayers, Nonlinearity.Tanh),
        });
        Head = RegisterModule("head", new Linear(hiddenSize, outputSize, rng));
    }

    public (Tensor Output, RecurrentState State) Forward(Tensor inputs, RecurrentState? state = null)
    {
        var (hidden, next) = Recurrent switch                                  // hidden: [T, B, H]
        {
            Lstm lstm => Run(lstm.Forward(inputs, state?.H, state?.C)),
            Gru gru => Run(gru.Forward(inputs, state?.H)),
            Rnn rnn => Run(rnn.Forward(inputs, state?.H)),
            _ => throw new InvalidOperationException("unreachable"),
        };
        return (Head.Forward(hidden), next);                                   // [T, B, O]
    }

    private static (Tensor, RecurrentState) Run<TStep>(SequenceOutput<TStep> y) => (y.Output, new RecurrentState(y.HN, y.CN));
}
