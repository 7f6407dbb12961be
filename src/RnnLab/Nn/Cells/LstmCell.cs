using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>The state an LSTM carries from step to step: hidden state h and cell state c, each [B, H].</summary>
public sealed record LstmState(Tensor H, Tensor C);

/// <summary>
/// One step of an LSTM: the new h and c, and the four gate activations that produced them (each [B, H]):
/// input gate I, forget gate F, candidate G, output gate O. After Backward(), a gate's Grad is set only if some op used
/// that gate (a loss or probe on it); h's and c's always are.
/// </summary>
public sealed record LstmStep(Tensor H, Tensor C, Tensor I, Tensor F, Tensor G, Tensor O) : ICellStep<LstmState>
{
    public LstmState State => new(H, C);
}

/// <summary>
/// The long short-term memory cell (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000),
/// exactly as PyTorch's <c>nn.LSTMCell</c>. Parameters <c>weight_ih</c> [4H, I], <c>weight_hh</c> [4H, H],
/// <c>bias_ih</c> [4H], <c>bias_hh</c> [4H], gate blocks in the order i, f, g, o.
/// </summary>
public sealed class LstmCell : RecurrentCell, IRecurrentCell<LstmState, LstmStep>
{
    public LstmCell(int inputSize, int hiddenSize, Rng rng)
        : base("LstmCell", inputSize, hiddenSize, gateCount: 4, rng) { }

    /// <summary>
    /// Advances one step: x [B, I], (h, c) each [B, H] (zeros when null) → the new (h, c) and the gates.
    /// Runs the fused kernel (<see cref="LstmCellOp"/>: one tape node, same numbers as <see cref="Equations"/> to rounding).
    /// </summary>
    public LstmStep Step(Tensor x, LstmState? state = null)
    {
        int batch = CheckInput(x);
        var (h, c, i, f, g, o) = LstmCellOp.Forward(x, StateOrZeros(state?.H, "h", batch), StateOrZeros(state?.C, "c", batch),
                                                    WeightIh, WeightHh, BiasIh, BiasHh);
        return new LstmStep(h, c, i, f, g, o);
    }

    /// <summary>The same step through <see cref="Equations"/>: the composed ops you can read, one tape node each.</summary>
    public LstmStep StepComposed(Tensor x, LstmState? state = null)
    {
        int batch = CheckInput(x);
        return Equations(x, StateOrZeros(state?.H, "h", batch), StateOrZeros(state?.C, "c", batch), Weights);
    }

    /// <summary>The cell's equations with explicit weights (shapes are not checked here; <see cref="Step"/> does that).</summary>
    public static LstmStep Equations(Tensor x, Tensor h, Tensor c, CellWeights w)
    {
        // All four gates at once: z = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh          // [B, 4H]
        var z = Tensor.MatMul(x, w.WeightIh, transposeB: true) + w.BiasIh
              + Tensor.MatMul(h, w.WeightHh, transposeB: true) + w.BiasHh;
        var blocks = z.Split(4, axis: 1);                                                // 4 × [B, H], order i, f, g, o
        var i = blocks[0].Sigmoid();   // input gate   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi): how much to write
        var f = blocks[1].Sigmoid();   // forget gate  f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf): how much to keep
        var g = blocks[2].Tanh();      // candidate    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg): what to write
        var o = blocks[3].Sigmoid();   // output gate  o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho): how much to show
        var cNext = f * c + i * g;     // c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t                // [B, H]
        var hNext = o * cNext.Tanh();  // h_t = o_t ⊙ tanh(c_t)                           // [B, H]
        return new LstmStep(hNext, cNext, i, f, g, o);
    }

    /// <summary>
    /// Sets the forget gate's total bias to <paramref name="value"/> (b_if = value, b_hf = 0), so the cell starts out
    /// remembering (Gers et al. 2000; Jozefowicz et al. 2015 recommend 1).
    /// </summary>
    public void InitForgetGateBias(double value = 1.0)
    {
        int hidden = HiddenSize;
        Array.Fill(BiasIh.Data, value, hidden, hidden);   // rows H … 2H − 1 are the forget gate
        Array.Fill(BiasHh.Data, 0.0, hidden, hidden);
    }
}
