using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Benchmarks;

/// <summary>
/// W3: the gradient probe of the vanishing-gradient lesson. An LSTM cell (input 8, H=64, B=1) stepped T=200 times;
/// loss = sum of the last hidden state; the norm ‖∂L/∂h_t‖ for every t, read from each h_t's gradient.
/// </summary>
internal sealed class LstmGradNormProbe
{
    public const int T = 200, H = 64, I = 8;

    private readonly LstmCell _cell;
    private readonly Tensor[] _xs;       // T × [1, I]

    public LstmGradNormProbe()
    {
        var rng = new Rng(2);
        _cell = new LstmCell(I, H, rng);
        _xs = new Tensor[T];
        for (int t = 0; t < T; t++) _xs[t] = Tensor.Normal(rng, 0, 1, 1, I);
    }

    public double[] Probe()
    {
        _cell.ZeroGrad();
        var hs = new Tensor[T];
        LstmState? state = null;
        for (int t = 0; t < T; t++)
        {
            var step = _cell.Step(_xs[t], state);
            hs[t] = step.H;
            state = step.State;
        }
        hs[T - 1].Sum().Backward();
        var norms = new double[T];
        for (int t = 0; t < T; t++)
        {
            double s = 0;
            foreach (double g in hs[t].Grad!) s += g * g;
            norms[t] = Math.Sqrt(s);
        }
        return norms;
    }
}
