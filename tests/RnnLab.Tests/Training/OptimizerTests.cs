using RnnLab.Autodiff;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class OptimizerTests
{
    // Reference values from PyTorch 1.13 (float64), three steps from p = [0.5, −1, 2] with fixed gradients:
    //   import torch; torch.set_default_dtype(torch.float64)
    //   p = torch.tensor([0.5, -1.0, 2.0], requires_grad=True); opt = torch.optim.<Opt>([p], ...)
    //   for g in Grads: p.grad = torch.tensor(g); opt.step()
    private static readonly double[][] Grads = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05], [0.25, 0.0, -0.6]];

    private static double[] Run(Func<Tensor, Optimizer> make)
    {
        var p = Tensor.Parameter(Tensor.FromArray([0.5, -1.0, 2.0]));
        var opt = make(p);
        foreach (var g in Grads)
        {
            opt.ZeroGrad();
            p.Backward(Tensor.FromArray(g));   // sets ∂L/∂p = g
            opt.Step();
        }
        Assert.Equal(3, opt.StepCount);
        return p.Data;
    }

    public static TheoryData<string, double[]> TorchReference => new()
    {
        { "sgd", [0.505, -1.03, 2.025] },   // by hand: p − 0.1·Σg = [0.5 + 0.005, −1 − 0.03, 2 + 0.025]
        { "sgd_momentum", [0.516143906495, -1.02601211299, 1.95362508408] },
        { "sgd_nesterov", [0.5265099999999999, -1.06672, 1.99728] },
        { "adagrad", [0.49799057336096086, -1.0169363597335876, 1.9832509171955373] },
        { "rmsprop", [0.48208072198033525, -0.9979428464495179, 1.9916683088062874] },
        { "rmsprop_centered_momentum", [0.47157031121124016, -0.9857166084656448, 1.9586872106732547] },
        { "adam", [0.4960482720983303, -0.9984856476893685, 1.986078502505711] },
        { "adam_amsgrad", [0.4928278372366495, -0.9921810804887395, 1.9785740039643804] },
    };

    [Theory]
    [MemberData(nameof(TorchReference))]
    public void Matches_PyTorch_after_three_steps(string name, double[] expected)
    {
        Func<Tensor, Optimizer> make = name switch
        {
            "sgd" => p => new Sgd([p], 0.1),
            "sgd_momentum" => p => new Sgd([p], 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
            "sgd_nesterov" => p => new Sgd([p], 0.1, momentum: 0.9, nesterov: true),
            "adagrad" => p => new Adagrad([p], 0.1, learningRateDecay: 0.01, weightDecay: 0.02, initialAccumulatorValue: 0.1),
            "rmsprop" => p => new RmsProp([p], 0.01, alpha: 0.9),
            "rmsprop_centered_momentum" => p => new RmsProp([p], 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.01),
            "adam" => p => new Adam([p], 0.01, beta1: 0.8, beta2: 0.9),
            "adam_amsgrad" => p => new Adam([p], 0.01, weightDecay: 0.1, amsGrad: true),
            _ => throw new ArgumentException(name),
        };
        var actual = Run(make);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], actual[i], 1e-11);
    }

    // The update written out one element at a time, as the class comments give it (the plain path).
    private static void PlainAdagrad(double[] p, double[] g0, double[] s, int t, double lr, double decay, double wd, double eps)
    {
        double clr = lr / (1 + (t - 1) * decay);
        for (int i = 0; i < p.Length; i++)
        {
            double g = g0[i] + wd * p[i];
            s[i] += g * g;
            p[i] -= clr * g / (Math.Sqrt(s[i]) + eps);
        }
    }

    private static void PlainAdam(double[] p, double[] g0, double[] m, double[] v, int t, double lr, double b1, double b2, double wd, double eps)
    {
        double bias1 = 1 - Math.Pow(b1, t), bias2Sqrt = Math.Sqrt(1 - Math.Pow(b2, t));
        for (int i = 0; i < p.Length; i++)
        {
            double g = g0[i] + wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            p[i] -= lr / bias1 * m[i] / (Math.Sqrt(v[i]) / bias2Sqrt + eps);
        }
    }

    [Theory]
    [InlineData("adagrad")]
    [InlineData("adam")]
    public void Vectorised_updates_give_the_same_bits_as_the_plain_loop(string name)
    {
        // 23 values: several full vectors and a tail; four steps with random gradients.
        var rng = new Rng(8);
        var init = Enumerable.Range(0, 23).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var p = Tensor.Parameter(Tensor.FromArray(init));
        Optimizer opt = name == "adagrad"
            ? new Adagrad([p], 0.1, learningRateDecay: 0.01, weightDecay: 0.02, initialAccumulatorValue: 0.1)
            : new Adam([p], 0.01, beta1: 0.8, beta2: 0.9, weightDecay: 0.1);
        double[] plain = (double[])init.Clone(), s = Enumerable.Repeat(0.1, 23).ToArray(), m = new double[23], v = new double[23];
        for (int t = 1; t <= 4; t++)
        {
            var g = Enumerable.Range(0, 23).Select(_ => rng.Uniform(-2, 2)).ToArray();
            opt.ZeroGrad();
            p.Backward(Tensor.FromArray(g));
            opt.Step();
            if (name == "adagrad") PlainAdagrad(plain, g, s, t, 0.1, 0.01, 0.02, 1e-10);
            else PlainAdam(plain, g, m, v, t, 0.01, 0.8, 0.9, 0.1, 1e-8);
            Assert.Equal(plain, p.Data);   // exact bits
        }
    }

    [Fact]
    public void Adam_first_step_by_hand_moves_each_weight_by_lr_times_sign()
    {
        // t = 1: m̂ = g, v̂ = g², so Δp = −lr·g/(|g| + ε) ≈ −lr·sign(g).
        var p = Tensor.Parameter(Tensor.FromArray([1.0, 1.0]));
        var opt = new Adam([p], learningRate: 0.1);
        p.Backward(Tensor.FromArray([3.0, -0.5]));
        opt.Step();
        Assert.Equal(1 - 0.1 * 3 / (3 + 1e-8), p.Data[0], 1e-15);
        Assert.Equal(1 + 0.1 * 0.5 / (0.5 + 1e-8), p.Data[1], 1e-15);
    }

    [Fact]
    public void Parameters_without_a_gradient_are_left_alone()
    {
        var used = Tensor.Parameter(Tensor.FromArray([1.0]));
        var unused = Tensor.Parameter(Tensor.FromArray([7.0]));
        var opt = new Sgd([used, unused], 0.5, momentum: 0.9);
        (used * 2.0).Backward(Tensor.Ones(1));   // ∂/∂used = 2
        opt.Step();
        Assert.Equal(0.0, used.Data[0]);
        Assert.Equal(7.0, unused.Data[0]);
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_optimiser_name()
    {
        var p = Tensor.Parameter(Tensor.Zeros(2));
        Assert.Contains("Adam", Assert.Throws<RnnLabException>(() => new Adam([p], beta1: 1.0)).Message);
        Assert.Contains("learning rate", Assert.Throws<RnnLabException>(() => new Sgd([p], -1)).Message);
        Assert.Contains("Nesterov", Assert.Throws<RnnLabException>(() => new Sgd([p], 0.1, nesterov: true)).Message);
        Assert.Contains("no parameters", Assert.Throws<RnnLabException>(() => new RmsProp([])).Message);
    }
}
