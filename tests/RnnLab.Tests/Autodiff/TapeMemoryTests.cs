using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Autodiff;

/// <summary>
/// What the tape does to allocate less, and that none of it changes a number: a Reshape that is its input's only use
/// shares the gradient buffer with it (and stops sharing as soon as either could diverge), nodes are freed during
/// backward, and the fused cells' private scratch comes back from <see cref="RecycledArrays"/> without leaking old values.
/// </summary>
public sealed class TapeMemoryTests
{
    private static Tensor Weights(int seed, params int[] shape) => Tensor.Normal(new Rng((ulong)seed), 0, 1, shape);

    [Fact]
    public void A_reshape_that_is_its_inputs_only_use_shares_the_gradient()
    {
        var w = Tensor.Parameter(Weights(1, 2, 6));
        var x = w.Tanh();                                               // [2, 6], used once: by the Reshape
        var y = x.Reshape(3, 4);
        var weights = Weights(2, 3, 4);
        (y * weights).Sum().Backward();
        Assert.Equal(weights.Data, y.Grad!);
        Assert.Equal(weights.Data, x.Grad!);                            // ∂L/∂x = ∂L/∂y element for element
        for (int i = 0; i < w.Size; i++)
            Assert.Equal(weights.Data[i] * (1 - x.Data[i] * x.Data[i]), w.Grad![i], 1e-15);
    }

    [Fact]
    public void A_reshaped_tensor_that_is_also_used_elsewhere_gets_both_gradients_and_the_view_keeps_its_own()
    {
        var w = Tensor.Parameter(Weights(3, 2, 6));
        var x = w.Tanh();
        var y = x.Reshape(12);
        var a = Weights(4, 12); var b = Weights(5, 2, 6);
        ((y * a).Sum() + (x * b).Sum()).Backward();
        Assert.Equal(a.Data, y.Grad!);
        for (int i = 0; i < 12; i++) Assert.Equal(a.Data[i] + b.Data[i], x.Grad![i], 1e-15);
    }

    [Fact]
    public void A_shared_gradient_is_copied_before_either_tensor_takes_more()
    {
        var x = Tensor.Parameter(Weights(6, 2, 3));                     // a leaf, so it can take part in a second graph
        var y = x.Reshape(6);
        var a = Weights(7, 6);
        (y * a).Sum().Backward();
        Assert.True(ReferenceEquals(x.Grad, y.Grad));

        var w = Tensor.Parameter(Weights(8, 2, 3));
        var c = Weights(9, 2, 3);
        ((x * w) * c).Sum().Backward();                                 // records a use of x: x's buffer is copied there
        Assert.Equal(a.Data, y.Grad!);                                  // the view keeps ∂L/∂y of its own loss
        for (int i = 0; i < 6; i++) Assert.Equal(a.Data[i] + w.Data[i] * c.Data[i], x.Grad![i], 1e-15);

        // ZeroGrad on one of two sharing tensors leaves the other alone.
        var x2 = Tensor.Parameter(Weights(10, 2, 3));
        var y2 = x2.Reshape(6);
        (y2 * a).Sum().Backward();
        x2.ZeroGrad();
        Assert.Equal(new double[6], x2.Grad!);
        Assert.Equal(a.Data, y2.Grad!);
    }

    [Fact]
    public void A_retained_graph_through_a_reshape_gives_the_numbers_of_an_unshared_one()
    {
        // Twice through a retained graph, once where the Reshape is x's only use and once where x also has an unrelated
        // use outside the loss (so nothing can be shared): every gradient must match.
        List<double[]> Run(bool secondUse)
        {
            var w = Tensor.Parameter(Weights(12, 2, 3));
            var x = w.Tanh();
            var y = x.Reshape(6);
            if (secondUse) _ = x * 1.0;
            var loss = (y * Weights(13, 6)).Sum();
            loss.Backward(retainGraph: true);
            loss.Backward();
            return [y.Grad!, x.Grad!, w.Grad!];
        }
        var only = Run(secondUse: false);
        var twoUses = Run(secondUse: true);
        for (int k = 0; k < only.Count; k++) Assert.Equal(twoUses[k], only[k]);
    }

    // Batch rows of the fused LSTM steps below: enough that a step's [B, H] scratch is a recycled (large) array.
    private const int Rows = 1600;

    // Three fused LSTM steps, a weighted loss on every h, backward; returns the parameters' gradients.
    private static List<double[]> LstmGradients(bool retainTwice, bool poisonBetweenPasses = false)
    {
        var rng = new Rng(31);
        var cell = new LstmCell(5, 7, rng);
        var state = (LstmState?)null;
        Tensor loss = Tensor.Scalar(0);
        for (int t = 0; t < 3; t++)
        {
            var x = Tensor.Normal(rng, 0, 1, Rows, 5);
            var s = cell.Step(x, state);
            loss = loss + (s.H * Tensor.Normal(rng, 0, 1, Rows, 7)).Sum();
            state = s.State;
        }
        loss.Backward(retainGraph: retainTwice);
        if (retainTwice)
        {
            if (poisonBetweenPasses) PoisonPool(Rows * 7);
            loss.Backward();
        }
        return cell.Parameters().Select(p => p.Grad!).ToList();
    }

    // Fills whatever the pool will hand out next for this length with NaN.
    private static void PoisonPool(int length)
    {
        var taken = Enumerable.Range(0, 16).Select(_ => RecycledArrays.Uninitialized(length)).ToList();
        foreach (var junk in taken) { Array.Fill(junk, double.NaN); RecycledArrays.Return(junk); }
    }

    [Fact]
    public void Fused_cells_overwrite_recycled_scratch_and_keep_it_until_the_graph_is_freed()
    {
        var fresh = LstmGradients(retainTwice: false);
        PoisonPool(Rows * 7);
        Assert.Equal(fresh, LstmGradients(retainTwice: false));        // exact bits: recycled tanh c' is overwritten
        // A retained graph keeps its scratch: poisoning the pool between the two passes changes nothing.
        Assert.Equal(LstmGradients(retainTwice: true), LstmGradients(retainTwice: true, poisonBetweenPasses: true));
    }

    [Fact]
    public void Backward_frees_every_node_it_passed_even_branches_no_gradient_reached()
    {
        var w = Tensor.Parameter(Weights(14, 3));
        var used = (w * w).Sum();
        var unused = w.Exp();                                            // recorded, but the loss does not depend on it
        var loss = used + Tensor.Zeros(1).Sum();
        loss.Backward();
        Assert.Contains("already freed", Assert.Throws<RnnLabException>(() => loss.Backward()).Message);
        Assert.Null(unused.Grad);
        (unused.Sum()).Backward();                                      // a separate graph: still intact
        Assert.Equal(2 * w.Data[0] + Math.Exp(w.Data[0]), w.Grad![0], 1e-12);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])), $"[{k}]: {expected[k]:R} vs {actual[k]:R}");
    }

    // Four LSTM steps with a loss on every h (and, when asked, on the forget gates too), fused or composed.
    private static (LstmCell Cell, List<LstmStep> Steps) UnrollLstm(bool fused, bool lossOnForgetGate)
    {
        var rng = new Rng(43);
        var cell = new LstmCell(5, 6, rng);
        var steps = new List<LstmStep>();
        LstmState? state = null;
        Tensor loss = Tensor.Scalar(0);
        for (int t = 0; t < 4; t++)
        {
            var x = Tensor.Normal(rng, 0, 1, 3, 5);
            var s = fused ? cell.Step(x, state) : cell.StepComposed(x, state);
            loss = loss + (s.H * Tensor.Normal(rng, 0, 1, 3, 6)).Sum();
            if (lossOnForgetGate) loss = loss + (s.F * Tensor.Normal(rng, 0, 1, 3, 6)).Sum();
            steps.Add(s);
            state = s.State;
        }
        loss.Backward();
        return (cell, steps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fused_gate_gets_a_gradient_only_when_used_and_the_weights_get_the_composed_gradients_either_way(bool lossOnForgetGate)
    {
        var (fusedCell, fused) = UnrollLstm(fused: true, lossOnForgetGate);
        var (composedCell, composed) = UnrollLstm(fused: false, lossOnForgetGate);
        var fp = fusedCell.Parameters().ToList(); var cp = composedCell.Parameters().ToList();
        for (int k = 0; k < fp.Count; k++) AssertClose(cp[k].Grad!, fp[k].Grad!);
        for (int t = 0; t < fused.Count; t++)
        {
            AssertClose(composed[t].H.Grad!, fused[t].H.Grad!);
            if (t < fused.Count - 1) AssertClose(composed[t].C.Grad!, fused[t].C.Grad!);   // the next step used c_t
            Assert.Null(fused[t].I.Grad); Assert.Null(fused[t].G.Grad); Assert.Null(fused[t].O.Grad);
            if (lossOnForgetGate) AssertClose(composed[t].F.Grad!, fused[t].F.Grad!);   // used: total, as composed
            else Assert.Null(fused[t].F.Grad);
        }
    }
}
