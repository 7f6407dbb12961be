using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Analysis;

/// <summary>
/// The Jacobian of one step, J_t = ∂s_t/∂s_{t−1}, as a matrix: entry [i, j] is how much state unit i at step t moves
/// per unit change of state unit j at step t − 1. The state s is h for RNN and GRU ([H, H]) and the stacked (h, c) for
/// the LSTM ([2H, 2H]: blocks ∂h/∂h, ∂h/∂c on top, ∂c/∂h, ∂c/∂c below). Backpropagation multiplies the gradient by
/// J_tᵀ at every step, so the product of these matrices decides whether gradients vanish or explode.
/// For a tanh RNN J_t = diag(1 − h_t²)·W_hh. Computed row by row with the tape (one backward per row), so the same
/// code serves every cell.
/// </summary>
public static class StepJacobian
{
    /// <summary>J = ∂s_t/∂s_{t−1} at input x [I] and previous state h [H] (and c [H] for an LSTM).</summary>
    public static double[,] At(RecurrentCell cell, double[] x, double[] h, double[]? c = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(h);
        int hidden = cell.HiddenSize, n = CellMath.StateSize(cell);
        if (x.Length != cell.InputSize || h.Length != hidden || (cell is LstmCell && c?.Length != hidden))
            throw new RnnLabException($"StepJacobian.At: expected x [{cell.InputSize}], h [{hidden}]{(cell is LstmCell ? $" and c [{hidden}]" : "")}, " +
                                      $"got x [{x.Length}], h [{h.Length}]{(c is null ? "" : $", c [{c.Length}]")}");
        using var gradOn = GradMode.EnterGradEnabled();
        var w = CellMath.Detached(cell);
        var xt = Tensor.FromArray(x, 1, x.Length);
        var jac = new double[n, n];
        for (int row = 0; row < n; row++)
        {
            var hp = new Tensor((double[])h.Clone(), 1, hidden) { RequiresGrad = true };             // s_{t−1} as leaves
            var cp = cell is LstmCell ? new Tensor((double[])c!.Clone(), 1, hidden) { RequiresGrad = true } : null;
            var (hn, cn) = CellMath.Step(cell, w, xt, hp, cp);
            var s = cn is null ? hn : Tensor.Concat([hn, cn], axis: 1);                              // s_t [1, n]
            var pick = Tensor.Zeros(1, n);
            pick.Data[row] = 1;
            s.Backward(pick);                                                                      // row of J: ∂s_t[row]/∂s_{t−1}
            for (int j = 0; j < hidden; j++)
            {
                jac[row, j] = hp.Grad?[j] ?? 0;
                if (cp is not null) jac[row, hidden + j] = cp.Grad?[j] ?? 0;
            }
        }
        return jac;
    }

    /// <summary>
    /// J_t for every step of a trace of this cell (layer 0, sequence <paramref name="sample"/>), evaluated at the trace's
    /// inputs and states: element t is ∂s_t/∂s_{t−1}, with s_{−1} = 0 (the zero initial state).
    /// </summary>
    public static double[][,] Along(RecurrentCell cell, Trace trace, int sample = 0)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Input is null) throw new RnnLabException("StepJacobian.Along: the trace has no inputs; record them (Probe.Run does, TraceRecorder.Record(step, x) does)");
        if ((uint)sample >= (uint)trace.Batch) throw new RnnLabException($"StepJacobian.Along: sample {sample} is not in the batch of {trace.Batch}");
        var layer = trace.Layer(0);
        if (trace.HiddenSize != cell.HiddenSize || trace.InputSize != cell.InputSize || (layer.C is null) == (cell is LstmCell))
            throw new RnnLabException($"StepJacobian.Along: the trace ({trace.Kind}, I = {trace.InputSize}, H = {trace.HiddenSize}) was not recorded from this {cell.GetType().Name} (I = {cell.InputSize}, H = {cell.HiddenSize})");
        var zero = new double[cell.HiddenSize];
        return Enumerable.Range(0, trace.Steps).Select(t => At(cell, trace.Input[t][sample],
            t == 0 ? zero : layer.H[t - 1][sample],
            layer.C is null ? null : t == 0 ? zero : layer.C[t - 1][sample])).ToArray();
    }
}
