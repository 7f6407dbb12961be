using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Analysis;

/// <summary>
/// One cell's gradient flow: <c>Norms[t]</c> = ‖∂L_T/∂h_t‖ for L_T = Σ h_T (the loss at the last step only), and
/// <c>Predicted[t]</c> = ‖∂L_T/∂h_T‖ · Π_{k=t+1}^{T−1} ‖J_k‖₂, the upper bound from the step Jacobians.
/// </summary>
public sealed record GradientFlowSeries(CellKind Kind, double[] Norms, double[] Predicted, double DecayRate);

/// <summary>
/// How far back the gradient of the last step's loss reaches through RNN, LSTM and GRU, and which inputs each hidden
/// state depends on (the connectivity matrix of distill.pub's "memorization" article).
/// </summary>
public static class GradientFlow
{
    /// <summary>
    /// ‖∂L_T/∂h_t‖ against t for an RNN, an LSTM and a GRU with the same input [T, 1, I] and comparable initialisation:
    /// each is built with PyTorch's default (uniform ±1/√H) from a generator seeded with <paramref name="seed"/>.
    /// <paramref name="lstmForgetBias"/> (e.g. 1) sets the LSTM's forget-gate bias (<see cref="LstmCell.InitForgetGateBias"/>).
    /// </summary>
    public static IReadOnlyList<GradientFlowSeries> Compare(Tensor input, int hiddenSize, ulong seed = 0, double? lstmForgetBias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3) throw new RnnLabException($"GradientFlow.Compare: expected input [T, 1, I], got {Tensor.ShapeString(input.Shape)}");
        int inputSize = input.Shape[2];
        var lstm = new LstmCell(inputSize, hiddenSize, new Rng(seed));
        if (lstmForgetBias is { } b) lstm.InitForgetGateBias(b);
        return Compare(input, new RnnCell(inputSize, hiddenSize, new Rng(seed)), lstm, new GruCell(inputSize, hiddenSize, new Rng(seed)));
    }

    /// <summary>The same for any cells you built (one series per cell, in order).</summary>
    public static IReadOnlyList<GradientFlowSeries> Compare(Tensor input, params RecurrentCell[] cells)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(cells);
        if (input.Rank != 3 || input.Shape[1] != 1)
            throw new RnnLabException($"GradientFlow.Compare: expected one sequence [T, 1, I], got {Tensor.ShapeString(input.Shape)}");
        return cells.Select(cell => Measure(cell, input)).ToArray();
    }

    /// <summary>One cell's series (see <see cref="GradientFlowSeries"/>).</summary>
    public static GradientFlowSeries Measure(RecurrentCell cell, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var trace = cell switch
        {
            RnnCell r => Probe.Run(r, input),
            LstmCell l => Probe.Run(l, input),
            GruCell g => Probe.Run(g, input),
            _ => throw new RnnLabException($"GradientFlow: unsupported cell {cell.GetType().Name}"),
        };
        var norms = trace.Layers[0].HGradNorm!;
        var bound = Decay.ProductOfStepNorms(StepJacobian.Along(cell, trace), trace.Steps - 1);
        return new GradientFlowSeries(trace.Kind, norms, bound.Select(p => p * norms[^1]).ToArray(), Decay.Rate(norms));
    }

    /// <summary>
    /// The connectivity matrix C[t′][t] = ‖∂h_t′/∂x_t‖_F (Frobenius norm of the [H, I] Jacobian) for every t ≤ t′, and 0
    /// for t &gt; t′ (the future cannot influence the past): how strongly the state at t′ still depends on the input at t.
    /// Input [T, 1, I], zero initial state. Computed exactly: for each t′ one forward pass over a batch of H copies of the
    /// sequence, backpropagating h_t′[j] from copy j, gives every row of every ∂h_t′/∂x_t at once.
    /// </summary>
    public static double[][] Connectivity(RecurrentCell cell, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[1] != 1 || input.Shape[2] != cell.InputSize)
            throw new RnnLabException($"GradientFlow.Connectivity: expected one sequence [T, 1, {cell.InputSize}], got {Tensor.ShapeString(input.Shape)}");
        int steps = input.Shape[0], hidden = cell.HiddenSize, inputSize = cell.InputSize;
        using var gradOn = GradMode.EnterGradEnabled();
        var w = CellMath.Detached(cell);
        var pick = Tensor.Zeros(hidden, hidden);
        for (int j = 0; j < hidden; j++) pick.Data[j * hidden + j] = 1;                     // copy j reports unit j
        var c = new double[steps][];
        for (int tp = 0; tp < steps; tp++)
        {
            c[tp] = new double[steps];
            var xs = new Tensor[tp + 1];
            Tensor h = Tensor.Zeros(hidden, hidden), cState = Tensor.Zeros(hidden, hidden);  // [H copies, H]
            for (int t = 0; t <= tp; t++)
            {
                var x = Tensor.Zeros(hidden, inputSize);                                   // [H copies, I]
                for (int j = 0; j < hidden; j++) Array.Copy(input.Data, t * inputSize, x.Data, j * inputSize, inputSize);
                x.RequiresGrad = true;
                xs[t] = x;
                var (hn, cn) = CellMath.Step(cell, w, x, h, cState);
                h = hn;
                if (cn is not null) cState = cn;
            }
            if (!h.RequiresGrad) continue;                                                 // no path from any input
            h.Backward(pick);                                                              // Σ_j h_t′[copy j, unit j]
            for (int t = 0; t <= tp; t++) c[tp][t] = TraceRecorder.Norm(xs[t].Grad);       // ‖∂h_t′/∂x_t‖_F
        }
        return c;
    }
}
