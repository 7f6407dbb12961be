using RnnLab.Analysis;

namespace RnnLab.Plots;

/// <summary>
/// Chart data from the analysis results of <c>RnnLab.Analysis</c>:
/// <code>
/// var flows = GradientFlow.Compare(input, hiddenSize: 32, seed: 1, lstmForgetBias: 1);
/// var chart = Charts.GradientNorms(AnalysisData.GradientFlow(flows));
/// </code>
/// </summary>
public static class AnalysisData
{
    /// <summary>‖∂L_T/∂h_t‖ of each cell with its predicted decay (the product of step-Jacobian norms) dashed beside it.</summary>
    public static GradientNormData GradientFlow(IReadOnlyList<GradientFlowSeries> flows, IReadOnlyList<string>? tokens = null)
    {
        ArgumentNullException.ThrowIfNull(flows);
        return new GradientNormData(flows.Select(f => new GradientNormSeries(f.Kind.ToString().ToUpperInvariant(), f.Norms, f.Predicted)).ToArray(),
                                    tokens, YTitle: "‖∂L_T/∂hₜ‖");
    }

    /// <summary>The connectivity matrix C[t′][t] = ‖∂h_t′/∂x_t‖ of <see cref="Analysis.GradientFlow.Connectivity"/>.</summary>
    public static ConnectivityData Connectivity(double[][] connectivity, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(connectivity);
        int n = connectivity.Length;
        var values = new double[n, n];
        for (int tp = 0; tp < n; tp++)
        {
            if (connectivity[tp]?.Length != n)
                throw new RnnLabException($"AnalysisData.Connectivity: row {tp} must hold {n} values (a [T][T] matrix)");
            for (int t = 0; t < n; t++) values[tp, t] = connectivity[tp][t];
        }
        return new ConnectivityData(values, tokens);
    }

    /// <summary>
    /// A sweep as one series of the spectral-sweep chart. The analysis measures rates in natural log per step; the chart's
    /// axis is log₁₀ per step, so rates are divided by ln 10.
    /// </summary>
    public static SweepSeries Sweep(string name, IReadOnlyList<SweepMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        return new SweepSeries(name, measurements.Select(m => new SweepPoint(m.Value, m.DecayRate / Math.Log(10))).ToArray());
    }

    /// <summary>The singular values of the step Jacobians J_t at the chosen steps, labelled "t = …".</summary>
    public static SingularValueData SingularValues(IReadOnlyList<double[,]> jacobians, params int[] steps)
    {
        ArgumentNullException.ThrowIfNull(jacobians);
        ArgumentNullException.ThrowIfNull(steps);
        foreach (int t in steps)
            if ((uint)t >= (uint)jacobians.Count)
                throw new RnnLabException($"AnalysisData.SingularValues: step {t} is not one of the {jacobians.Count} Jacobians");
        return new SingularValueData(steps.Select(t => new SingularValueSet($"t = {t}", Svd.SingularValues(jacobians[t]))).ToArray());
    }
}
