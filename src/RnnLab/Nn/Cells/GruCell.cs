using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// One step of a GRU: the new h, and the gates that produced it (each [B, H]):
/// reset gate R, update gate Z, candidate N. After Backward(), a gate's Grad is set only if some op used that gate.
/// </summary>
public sealed record GruStep(Tensor H, Tensor R, Tensor Z, Tensor N) : ICellStep<Tensor>
{
    public Tensor State => H;
}

/// <summary>
/// The gated recurrent unit (Cho et al. 2014) exactly as PyTorch's <c>nn.GRUCell</c>. Parameters <c>weight_ih</c> [3H, I],
/// <c>weight_hh</c> [3H, H], <c>bias_ih</c> [3H], <c>bias_hh</c> [3H], gate blocks in the order r, z, n.
/// Note PyTorch's candidate applies the reset gate after the recurrent product: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
/// </summary>
public sealed class GruCell : RecurrentCell, IRecurrentCell<Tensor, GruStep>
{
    public GruCell(int inputSize, int hiddenSize, Rng rng)
        : base("GruCell", inputSize, hiddenSize, gateCount: 3, rng) { }

    /// <summary>
    /// Advances one step: x [B, I], h [B, H] (zeros when null) → the new h and the gates.
    /// Runs the fused kernel (<see cref="GruCellOp"/>: one tape node, same numbers as <see cref="Equations"/> to rounding).
    /// </summary>
    public GruStep Step(Tensor x, Tensor? h = null)
    {
        int batch = CheckInput(x);
        var (hNext, r, z, n) = GruCellOp.Forward(x, StateOrZeros(h, "h", batch), WeightIh, WeightHh, BiasIh, BiasHh);
        return new GruStep(hNext, r, z, n);
    }

    /// <summary>The same step through <see cref="Equations"/>: the composed ops you can read, one tape node each.</summary>
    public GruStep StepComposed(Tensor x, Tensor? h = null)
    {
        int batch = CheckInput(x);
        return Equations(x, StateOrZeros(h, "h", batch), Weights);
    }

    /// <summary>The cell's equations with explicit weights (shapes are not checked here; <see cref="Step"/> does that).</summary>
    public static GruStep Equations(Tensor x, Tensor h, CellWeights w)
    {
        var gi = (Tensor.MatMul(x, w.WeightIh, transposeB: true) + w.BiasIh).Split(3, axis: 1);   // 3 × [B, H]: W_i· x_t + b_i·
        var gh = (Tensor.MatMul(h, w.WeightHh, transposeB: true) + w.BiasHh).Split(3, axis: 1);   // 3 × [B, H]: W_h· h_{t−1} + b_h·
        var r = (gi[0] + gh[0]).Sigmoid();   // reset gate   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
        var z = (gi[1] + gh[1]).Sigmoid();   // update gate  z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
        var n = (gi[2] + r * gh[2]).Tanh();  // candidate    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
        var hNext = (1.0 - z) * n + z * h;   // h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}            // [B, H]
        return new GruStep(hNext, r, z, n);
    }

    /// <summary>
    /// Sets the update gate's total bias to <paramref name="value"/> (b_iz = value, b_hz = 0). Since
    /// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}, a positive value starts z near 1: the cell keeps its state by default,
    /// the GRU's counterpart of <see cref="LstmCell.InitForgetGateBias"/>.
    /// </summary>
    public void InitUpdateGateBias(double value)
    {
        int hidden = HiddenSize;
        Array.Fill(BiasIh.Data, value, hidden, hidden);   // rows H … 2H − 1 are the update gate
        Array.Fill(BiasHh.Data, 0.0, hidden, hidden);
    }
}
