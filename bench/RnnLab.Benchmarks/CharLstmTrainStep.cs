using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Benchmarks;

/// <summary>
/// W1: one training step of a character-level LSTM language model. B=32 sequences of T=64 one-hot characters (V=65),
/// LSTM H=128 (batch first), Linear head, softmax cross-entropy, full BPTT, global-norm clip 5, Adam lr 2e-3.
/// </summary>
internal sealed class CharLstmTrainStep
{
    public const int B = 32, T = 64, V = 65, H = 128;
    public const int CharsPerStep = B * T;

    private readonly Lstm _lstm;
    private readonly Linear _head;
    private readonly Tensor[] _parameters;
    private readonly Adam _adam;
    private readonly Tensor _x;          // [B, T, V] one-hot
    private readonly int[] _targets;     // B·T next characters, row-major (b, t)

    public int Steps { get; private set; }

    public CharLstmTrainStep()
    {
        var rng = new Rng(0);
        _lstm = new Lstm(V, H, rng, batchFirst: true);
        _head = new Linear(H, V, rng);
        _parameters = [.. _lstm.Parameters(), .. _head.Parameters()];
        _adam = new Adam(_parameters, learningRate: 2e-3);
        var idx = new int[B * (T + 1)];
        for (int i = 0; i < idx.Length; i++) idx[i] = rng.NextInt(V);
        var inputs = new int[B * T];
        _targets = new int[B * T];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                inputs[b * T + t] = idx[b * (T + 1) + t];
                _targets[b * T + t] = idx[b * (T + 1) + t + 1];
            }
        _x = Tensor.OneHot(inputs, V).Reshape(B, T, V);
    }

    public void Step()
    {
        _adam.ZeroGrad();
        var output = _lstm.Forward(_x).Output;                                  // [B, T, H]
        var logits = _head.Forward(output.Reshape(B * T, H));                   // [B·T, V]
        var loss = Tensor.CrossEntropy(logits, _targets);
        loss.Backward();
        GradClip.ClipGradNorm(_parameters, 5.0);
        _adam.Step();
        Steps++;
    }
}
