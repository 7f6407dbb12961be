using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>The nonlinearity of a vanilla RNN (PyTorch's <c>nonlinearity='tanh'|'relu'</c>).</summary>
public enum Nonlinearity { Tanh, Relu }

/// <summary>One step of a vanilla RNN: the new hidden state and the pre-activation a_t it was squashed from.</summary>
public sealed record RnnStep(Tensor H, Tensor PreActivation) : ICellStep<Tensor>
{
    public Tensor State => H;
}

/// <summary>
/// The Elman RNN cell (PyTorch's <c>nn.RNNCell</c>): h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), or ReLU.
/// Parameters <c>weight_ih</c> [H, I], <c>weight_hh</c> [H, H], <c>bias_ih</c> [H], <c>bias_hh</c> [H].
/// </summary>
public sealed class RnnCell : RecurrentCell, IRecurrentCell<Tensor, RnnStep>
{
    public Nonlinearity Nonlinearity { get; }

    public RnnCell(int inputSize, int hiddenSize, Rng rng, Nonlinearity nonlinearity = Nonlinearity.Tanh)
        : base("RnnCell", inputSize, hiddenSize, gateCount: 1, rng) => Nonlinearity = nonlinearity;

    /// <summary>
    /// Advances one step: x [B, I], h [B, H] (zeros when null) → h_t and the pre-activation.
    /// Runs the fused kernel (<see cref="RnnCellOp"/>: one tape node, same numbers as <see cref="Equations"/> to rounding).
    /// </summary>
    public RnnStep Step(Tensor x, Tensor? h = null)
    {
        int batch = CheckInput(x);
        var (hNext, a) = RnnCellOp.Forward(x, StateOrZeros(h, "h", batch), WeightIh, WeightHh, BiasIh, BiasHh,
                                           relu: Nonlinearity == Nonlinearity.Relu);
        return new RnnStep(hNext, a);
    }

    /// <summary>The same step through <see cref="Equations"/>: the composed ops you can read, one tape node each.</summary>
    public RnnStep StepComposed(Tensor x, Tensor? h = null)
    {
        int batch = CheckInput(x);
        return Equations(x, StateOrZeros(h, "h", batch), Weights, Nonlinearity);
    }

    /// <summary>The cell's equations with explicit weights (shapes are not checked here; <see cref="Step"/> does that).</summary>
    public static RnnStep Equations(Tensor x, Tensor h, CellWeights w, Nonlinearity nonlinearity)
    {
        // a_t = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh                                  // [B, H]
        var a = Tensor.MatMul(x, w.WeightIh, transposeB: true) + w.BiasIh
              + Tensor.MatMul(h, w.WeightHh, transposeB: true) + w.BiasHh;
        // h_t = tanh(a_t)  or  max(0, a_t)                                               // [B, H]
        var hNext = nonlinearity == Nonlinearity.Tanh ? a.Tanh() : a.Relu();
        return new RnnStep(hNext, a);
    }

    /// <summary>
    /// The IRNN of Le, Jaitly &amp; Hinton (2015): W_hh = gain·I and zero biases (use with ReLU), so at the start the
    /// hidden state is carried unchanged from step to step. The input weights are left as they are.
    /// </summary>
    public void InitIdentity(double gain = 1.0)
    {
        Init.Identity(WeightHh, gain);
        ZeroBiases();
    }
}
