using RnnLab.Analysis;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Plots;
using RnnLab.Plots.Html;
using PlotSweepPoint = RnnLab.Plots.SweepPoint;

namespace RnnLab.Cli.Tour;

/// <summary>
/// The first two figures of the tour: how the gradient of a loss at the last step reaches earlier steps in an
/// RNN, an LSTM and a GRU (measured, next to the decay predicted from the step Jacobians), and how the decay rate
/// of a plain RNN depends on the spectral radius ρ of its recurrent weights.
/// </summary>
public static class GradientFlowSection
{
    public static void Add(Report report, TourBudget budget, ulong seed)
    {
        const int inputSize = 8, hidden = 32;
        var input = Tensor.Normal(new Rng(seed), 0, 1, budget.FlowSteps, 1, inputSize);   // [T, 1, I], the same for all three
        var flows = GradientFlow.Compare(input, hidden, seed, lstmForgetBias: 1.0);

        report.AddHeading("1. Vanishing gradients, measured")
            .AddText($"""
                Three networks of the same size ({hidden} units) read the same {budget.FlowSteps} random inputs. The loss is
                computed from the **last** hidden state only, and backpropagation tells how strongly each earlier hidden
                state hₜ influenced it: ‖∂L/∂hₜ‖. On this log scale a straight line is exponential decay: the plain RNN's
                gradient shrinks by a constant factor every step, so what happened {budget.FlowSteps / 2} steps ago barely
                matters to its learning. The LSTM's additive cell-state path (with forget-gate bias 1) and the GRU's
                update gate let the gradient travel much further. Dashed: the prediction from the step Jacobians,
                ‖∂L/∂h_T‖ · ∏ ‖∂hₖ/∂hₖ₋₁‖ over the steps in between, an upper bound: the measured gradient can only
                fall below it, and does when the Jacobians do not line up.
                """)
            .AddChart(Charts.GradientNorms(new GradientNormData(
                flows.Select(f => new GradientNormSeries(f.Kind.ToString().ToUpperInvariant(), f.Norms, f.Predicted)).ToList())),
                string.Join("; ", flows.Select(f => $"{f.Kind.ToString().ToUpperInvariant()}: decay rate {f.DecayRate:F3} (log₁₀ per step)")));

        var radii = Sweeps.Range(0.5, 1.5, budget.SweepPoints);
        var sweepInput = Tensor.Normal(new Rng(seed + 1), 0, 0.1, budget.SweepSteps, 1, inputSize);
        var sweep = Sweeps.SpectralRadius(new RnnCell(inputSize, hidden, new Rng(seed + 2)), sweepInput, radii);
        report.AddHeading("2. The spectral radius decides: vanishing, edge, exploding")
            .AddText("""
                Take one tanh RNN, rescale its recurrent matrix W_hh to a spectral radius ρ (its largest eigenvalue
                magnitude), and measure how fast the gradient decays per step. Below ρ = 1 it vanishes geometrically;
                around ρ = 1 it is on the edge; above it, it can grow (tanh's saturation eventually holds it back).
                This is why initialisation (orthogonal, identity for IRNN) and gating matter.
                """)
            .AddChart(Charts.SpectralRadiusSweep(new SpectralSweepData(
                [new SweepSeries("tanh RNN", sweep.Select(p => new PlotSweepPoint(p.Value, p.DecayRate)).ToList())])));
    }
}
