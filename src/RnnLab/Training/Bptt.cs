using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Training;

/// <summary>How far back gradients flow through time.</summary>
public enum BpttMode { Full, Truncated, Randomized }

/// <summary>
/// Backpropagation through time, three ways. The forward pass is always the whole sequence with the state carried
/// from step to step (the numbers are identical in all modes); what differs is where the gradient is cut:
/// <list type="bullet">
/// <item><b>Full</b>: never. Exact gradient; memory grows with T.</item>
/// <item><b>Truncated(k)</b>: the sequence is run in chunks of k steps, and the state is carried into the next chunk
///   <see cref="RecurrentState.Detach"/>ed, so no gradient crosses a chunk boundary (Williams &amp; Peng 1990).
///   Cheap, but blind to dependencies longer than k: a biased gradient.</item>
/// <item><b>Randomized(mean)</b>: Anticipated Reweighted Truncated BPTT (Tallec &amp; Ollivier 2017). Before each step the
///   gradient is cut with probability c = 1/mean; where it is not cut, the gradient crossing that point is multiplied
///   by 1/(1 − c). A dependency spanning n steps survives with probability (1 − c)ⁿ and is scaled by (1 − c)⁻ⁿ, so
///   the expected gradient equals the full one: unbiased, at the price of variance.</item>
/// </list>
/// </summary>
public sealed record Bptt(BpttMode Mode, double Length)
{
    public static Bptt Full { get; } = new(BpttMode.Full, 0);

    /// <summary>Cut the gradient every <paramref name="k"/> steps.</summary>
    public static Bptt Truncated(int k) => k >= 1 ? new(BpttMode.Truncated, k)
        : throw new RnnLabException($"Bptt.Truncated: k must be at least 1, got {k}");

    /// <summary>Cut at random with mean truncation length <paramref name="meanLength"/> (&gt; 1), reweighting to stay unbiased.</summary>
    public static Bptt Randomized(double meanLength) => meanLength > 1 && double.IsFinite(meanLength) ? new(BpttMode.Randomized, meanLength)
        : throw new RnnLabException($"Bptt.Randomized: the mean truncation length must be a finite number above 1, got {meanLength}");

    /// <summary>
    /// Runs <paramref name="model"/> over inputs [T, B, I] from <paramref name="initial"/> (null: zeros) and returns the
    /// outputs [T, B, O], the final state (with the gradient path this mode leaves), and the time steps t before which
    /// the gradient was cut. <paramref name="rng"/> is needed for <see cref="BpttMode.Randomized"/>.
    /// </summary>
    public BpttRun Run(IRecurrentModel model, Tensor inputs, RecurrentState? initial = null, Rng? rng = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank != 3) throw new RnnLabException($"Bptt.Run: expected inputs [T, B, I], got {Tensor.ShapeString(inputs.Shape)}");
        int steps = inputs.Shape[0];
        if (Mode == BpttMode.Full)
        {
            var (y, s) = model.Forward(inputs, initial);
            return new BpttRun(y, s, []);
        }
        if (Mode == BpttMode.Randomized && rng is null)
            throw new RnnLabException("Bptt.Run: randomised truncation needs an Rng (pass the trainer's or your own seeded generator)");

        var outputs = new List<Tensor>();
        var cuts = new List<int>();
        var state = initial;
        double c = Mode == BpttMode.Randomized ? 1 / Length : 0;
        int start = 0;
        while (start < steps)
        {
            // Truncated: fixed chunks of k. Randomized: one step at a time, deciding before each step.
            int length = Mode == BpttMode.Truncated ? Math.Min((int)Length, steps - start) : 1;
            if (start > 0 && state is not null)
            {
                if (Mode == BpttMode.Truncated || rng!.NextDouble() < c) { state = state.Detach(); cuts.Add(start); }
                else state = state.ScaleGradient(1 / (1 - c));
            }
            var (y, s) = model.Forward(inputs.Slice(0, start, length), state);   // [length, B, O]
            outputs.Add(y);
            state = s;
            start += length;
        }
        return new BpttRun(outputs.Count == 1 ? outputs[0] : Tensor.Concat(outputs, axis: 0), state!, cuts);
    }
}

/// <summary>The result of <see cref="Bptt.Run"/>: outputs [T, B, O], the final state, and the steps before which the gradient was cut.</summary>
public sealed record BpttRun(Tensor Output, RecurrentState State, IReadOnlyList<int> Cuts);
