using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A multi-layer Elman RNN over whole sequences (PyTorch's <c>nn.RNN</c>): input [T, B, I] (or [B, T, I] with
/// batchFirst), optional h0 [L·D, B, H] (zeros by default). See <see cref="RecurrentLayer{TCell, TState, TStep}"/>.
/// </summary>
public sealed class Rnn : RecurrentLayer<RnnCell, Tensor, RnnStep>
{
    public Nonlinearity Nonlinearity { get; }

    public Rnn(int inputSize, int hiddenSize, Rng rng, int numLayers = 1, Nonlinearity nonlinearity = Nonlinearity.Tanh,
               bool bidirectional = false, bool batchFirst = false)
        : base("Rnn", inputSize, hiddenSize, numLayers, bidirectional, batchFirst,
               layerInput => new RnnCell(layerInput, hiddenSize, rng ?? throw new ArgumentNullException(nameof(rng)), nonlinearity))
        => Nonlinearity = nonlinearity;

    public SequenceOutput<RnnStep> Forward(Tensor input, Tensor? h0 = null)
    {
        var (_, batch) = CheckInput(input);
        CheckInitialState(h0, "h0", batch);
        var (output, steps) = Run(input, k => h0?.Select(0, k));
        return new SequenceOutput<RnnStep>(output, StackFinal(steps, s => s.H), null, steps);
    }

    protected override (Tensor Output, IReadOnlyList<RnnStep> Steps) RunSequence(RnnCell cell, Tensor input, Tensor? initial, bool reverse)
    {
        var op = RnnSequenceOp.Forward(input, BatchFirst, reverse, initial, cell.WeightIh, cell.WeightHh, cell.BiasIh, cell.BiasHh,
                                       relu: Nonlinearity == Nonlinearity.Relu);
        return (op.Output, new StepList<RnnStep>(op.Output.Shape[BatchFirst ? 1 : 0], t =>
        {
            var s = op.Step(t);
            return new RnnStep(s[0], s[1]);
        }));
    }

    /// <summary>IRNN initialisation (Le et al. 2015) for every cell: W_hh = gain·I, zero biases.</summary>
    public void InitIdentity(double gain = 1.0) { foreach (var c in Cells) c.InitIdentity(gain); }
}
