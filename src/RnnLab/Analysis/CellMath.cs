using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Analysis;

/// <summary>
/// One step of any of the three cells with its weights cut from the tape (<see cref="Tensor.Detach"/>), so the
/// analysis can backpropagate to states and inputs without touching the parameters' gradients.
/// The state is h for RNN and GRU and (h, c) for the LSTM.
/// </summary>
internal static class CellMath
{
    public static CellWeights Detached(RecurrentCell cell) =>
        new(cell.WeightIh.Detach(), cell.WeightHh.Detach(), cell.BiasIh.Detach(), cell.BiasHh.Detach());

    /// <summary>The size of the state vector: H, or 2H for the LSTM's (h, c).</summary>
    public static int StateSize(RecurrentCell cell) => cell is LstmCell ? 2 * cell.HiddenSize : cell.HiddenSize;

    /// <summary>x [B, I], h [B, H], c [B, H] (LSTM; else ignored) → (h_t, c_t or null).</summary>
    public static (Tensor H, Tensor? C) Step(RecurrentCell cell, CellWeights w, Tensor x, Tensor h, Tensor? c) => cell switch
    {
        RnnCell r => (RnnCell.Equations(x, h, w, r.Nonlinearity).H, null),
        GruCell => (GruCell.Equations(x, h, w).H, null),
        LstmCell => LstmCell.Equations(x, h, c!, w) is var s ? (s.H, s.C) : default,
        _ => throw new RnnLabException($"Analysis: unsupported cell {cell.GetType().Name}; expected RnnCell, LstmCell or GruCell"),
    };
}
