using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A multi-layer GRU over whole sequences (PyTorch's <c>nn.GRU</c>): input [T, B, I] (or [B, T, I] with batchFirst),
/// optional h0 [L·D, B, H] (zeros by default). See <see cref="RecurrentLayer{TCell, TState, TStep}"/>.
/// </summary>
public sealed class Gru : RecurrentLayer<GruCell, Tensor, GruStep>
{
    public Gru(int inputSize, int hiddenSize, Rng rng, int numLayers = 1, bool bidirectional = false, bool batchFirst = false)
        : base("Gru", inputSize, hiddenSize, numLayers, bidirectional, batchFirst,
               layerInput => new GruCell(layerInput, hiddenSize, rng ?? throw new ArgumentNullException(nameof(rng)))) { }

    public SequenceOutput<GruStep> Forward(Tensor input, Tensor? h0 = null)
    {
        var (_, batch) = CheckInput(input);
        CheckInitialState(h0, "h0", batch);
        var (output, steps) = Run(input, k => h0?.Select(0, k));
        return new SequenceOutput<GruStep>(output, StackFinal(steps, s => s.H), null, steps);
    }

    protected override (Tensor Output, IReadOnlyList<GruStep> Steps) RunSequence(GruCell cell, Tensor input, Tensor? initial, bool reverse)
    {
        var op = GruSequenceOp.Forward(input, BatchFirst, reverse, initial, cell.WeightIh, cell.WeightHh, cell.BiasIh, cell.BiasHh);
        return (op.Output, new StepList<GruStep>(op.Output.Shape[BatchFirst ? 1 : 0], t =>
        {
            var s = op.Step(t);
            return new GruStep(s[0], s[1], s[2], s[3]);
        }));
    }

    /// <summary>Update-gate bias for every cell (see <see cref="GruCell.InitUpdateGateBias"/>).</summary>
    public void InitUpdateGateBias(double value) { foreach (var c in Cells) c.InitUpdateGateBias(value); }
}
