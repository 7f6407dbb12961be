using System.Text.Json.Serialization;
using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>Which recurrent cell a model or trace uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CellKind>))]
public enum CellKind { Rnn, Lstm, Gru }

/// <summary>
/// The standard small sequence model of the lessons: a recurrent layer over one-hot inputs and a Linear head
/// that scores the next symbol at every step. Its parameters have exactly the names of the PyTorch module
/// <code>
/// class CharRnn(nn.Module):
///     def __init__(self, V, H, L):
///         super().__init__()
///         self.rnn = nn.LSTM(V, H, L)      # or nn.GRU / nn.RNN
///         self.head = nn.Linear(H, V)
///     def forward(self, x):                # x: one-hot [T, B, V]
///         return self.head(self.rnn(x)[0]) # logits [T, B, V]
/// </code>
/// (<c>rnn.weight_ih_l0</c>, …, <c>head.weight</c>, <c>head.bias</c>), so its state dict loads into this model and back.
/// </summary>
public sealed class CharRnnModel : Module
{
    public CellKind Kind { get; }
    public int VocabSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }

    /// <summary>The recurrent layer, registered as <c>rnn</c>: an <see cref="Nn.Rnn"/>, <see cref="Nn.Lstm"/> or <see cref="Nn.Gru"/>.</summary>
    public Module Recurrent { get; }

    /// <summary>The output layer H → V, registered as <c>head</c>.</summary>
    public Linear Head { get; }

    public CharRnnModel(CellKind kind, int vocabSize, int hiddenSize, Rng rng, int numLayers = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (vocabSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new RnnLabException($"CharRnnModel: vocabSize, hiddenSize and numLayers must be positive, got {vocabSize}, {hiddenSize}, {numLayers}");
        Kind = kind; VocabSize = vocabSize; HiddenSize = hiddenSize; NumLayers = numLayers;
        Recurrent = RegisterModule<Module>("rnn", kind switch
        {
            CellKind.Rnn => new Rnn(vocabSize, hiddenSize, rng, numLayers),
            CellKind.Lstm => new Lstm(vocabSize, hiddenSize, rng, numLayers),
            CellKind.Gru => new Gru(vocabSize, hiddenSize, rng, numLayers),
            _ => throw new RnnLabException($"CharRnnModel: unknown cell kind {kind}"),
        });
        Head = RegisterModule("head", new Linear(hiddenSize, vocabSize, rng));
    }

    /// <summary>One-hot input [T, B, V] → logits [T, B, V] (scores for the symbol at t + 1).</summary>
    public Tensor Forward(Tensor input) => Head.Forward(RecurrentOutput(input));   // [T, B, V]

    /// <summary>The recurrent layer's output [T, B, H]: the last layer's h_t at every step.</summary>
    public Tensor RecurrentOutput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Recurrent switch
        {
            Rnn r => r.Forward(input).Output,
            Lstm l => l.Forward(input).Output,
            Gru g => g.Forward(input).Output,
            _ => throw new RnnLabException($"CharRnnModel: unexpected recurrent layer {Recurrent.GetType().Name}"),
        };
    }

    /// <summary>Symbol indices → one-hot input [T, 1, V] for a single sequence.</summary>
    public Tensor OneHot(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Length == 0) throw new RnnLabException("CharRnnModel.OneHot: the sequence is empty; give at least one symbol");
        return Tensor.OneHot(tokens, VocabSize).Reshape(tokens.Length, 1, VocabSize);
    }
}
