using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Benchmarks;

/// <summary>
/// W2: one step of Karpathy's min-char-rnn. B=1, T=25 one-hot characters (V=65), tanh RNN H=100, Linear head,
/// softmax cross-entropy, every gradient clamped to ±5, Adagrad lr 0.1.
/// </summary>
internal sealed class MinCharRnnStep
{
    public const int B = 1, T = 25, V = 65, H = 100;
    public const int CharsPerStep = B * T;

    private readonly Rnn _rnn;
    private readonly Linear _head;
    private readonly Tensor[] _parameters;
    private readonly Adagrad _adagrad;
    private readonly Tensor _x;          // [B, T, V] one-hot
    private readonly int[] _targets;

    public MinCharRnnStep()
    {
        var rng = new Rng(1);
        _rnn = new Rnn(V, H, rng, batchFirst: true);
        _head = new Linear(H, V, rng);
        _parameters = [.. _rnn.Parameters(), .. _head.Parameters()];
        _adagrad = new Adagrad(_parameters, learningRate: 0.1);
        var idx = new int[T + 1];
        for (int i = 0; i < idx.Length; i++) idx[i] = rng.NextInt(V);
        _x = Tensor.OneHot(idx[..T], V).Reshape(B, T, V);
        _targets = idx[1..];
    }

    public void Step()
    {
        _adagrad.ZeroGrad();
        var output = _rnn.Forward(_x).Output;                                   // [B, T, H]
        var loss = Tensor.CrossEntropy(_head.Forward(output.Reshape(B * T, H)), _targets);
        loss.Backward();
        GradClip.ClipGradValue(_parameters, 5.0);
        _adagrad.Step();
    }
}
