using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A multi-layer LSTM over whole sequences (PyTorch's <c>nn.LSTM</c>): input [T, B, I] (or [B, T, I] with batchFirst),
/// optional h0 and c0, each [L·D, B, H] (zeros by default). Returns the outputs, h_n, c_n and every step's gates.
/// See <see cref="RecurrentLayer{TCell, TState, TStep}"/>.
/// </summary>
public sealed class Lstm : RecurrentLayer<LstmCell, LstmState, LstmStep>
{
    public Lstm(int inputSize, int hiddenSize, Rng rng, int numLayers = 1, bool bidirectional = false, bool batchFirst = false)
        : base("Lstm", inputSize, hiddenSize, numLayers, bidirectional, batchFirst,
               layerInput => new LstmCell(layerInput, hiddenSize, rng ?? throw new ArgumentNullException(nameof(rng)))) { }

    public SequenceOutput<LstmStep> Forward(Tensor input, Tensor? h0 = null, Tensor? c0 = null)
    {
        var (_, batch) = CheckInput(input);
        CheckInitialState(h0, "h0", batch);
        CheckInitialState(c0, "c0", batch);
        var (output, steps) = Run(input, k => h0 is null && c0 is null ? null
            : new LstmState(h0?.Select(0, k) ?? Tensor.Zeros(batch, HiddenSize), c0?.Select(0, k) ?? Tensor.Zeros(batch, HiddenSize)));
        return new SequenceOutput<LstmStep>(output, StackFinal(steps, s => s.H), StackFinal(steps, s => s.C), steps);
    }

    protected override (Tensor Output, IReadOnlyList<LstmStep> Steps) RunSequence(LstmCell cell, Tensor input, LstmState? initial, bool reverse)
    {
        var op = LstmSequenceOp.Forward(input, BatchFirst, reverse, initial?.H, initial?.C, cell.WeightIh, cell.WeightHh, cell.BiasIh, cell.BiasHh);
        return (op.Output, new StepList<LstmStep>(op.Output.Shape[BatchFirst ? 1 : 0], t =>
        {
            var s = op.Step(t);
            return new LstmStep(s[0], s[1], s[2], s[3], s[4], s[5]);
        }));
    }

    /// <summary>Forget-gate bias for every cell (see <see cref="LstmCell.InitForgetGateBias"/>).</summary>
    public void InitForgetGateBias(double value = 1.0) { foreach (var c in Cells) c.InitForgetGateBias(value); }
}
