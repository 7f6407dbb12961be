using RnnLab.Autodiff;
using RnnLab.Data;

namespace RnnLab.Nn;

/// <summary>
/// Generates text from a character model (<see cref="SequenceModel"/> over one-hot characters), as in Karpathy's
/// min-char-rnn: read the priming text one character at a time to build up the state, then repeatedly draw the
/// next character from softmax(logits / T) and feed it back in.
/// Temperature T &lt; 1 sharpens the distribution (safer, more repetitive), T &gt; 1 flattens it (more surprising).
/// </summary>
public static class Sampler
{
    public static string Sample(SequenceModel model, CharVocabulary vocabulary, string prime, int length, double temperature, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(prime);
        ArgumentNullException.ThrowIfNull(rng);
        if (model.InputSize != vocabulary.Size || model.OutputSize != vocabulary.Size)
            throw new RnnLabException($"Sampler: the model reads {model.InputSize} and predicts {model.OutputSize} symbols, but the vocabulary has {vocabulary.Size}");
        if (length < 0) throw new RnnLabException($"Sampler: length must not be negative, got {length}");
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new RnnLabException($"Sampler: temperature must be a positive number, got {temperature}");
        if (prime.Length == 0) prime = vocabulary[rng.NextInt(vocabulary.Size)].ToString();

        using var _ = Tensor.NoGrad();
        model.Eval();
        RecurrentState? state = null;
        Tensor logits = Tensor.Zeros(vocabulary.Size);
        foreach (int symbol in vocabulary.Encode(prime))
            (logits, state) = Step(model, symbol, vocabulary.Size, state);

        int unknown = vocabulary.Unknown is char u && vocabulary.Contains(u) ? vocabulary.IndexOf(u) : -1;   // never write the "unknown" symbol
        var output = new System.Text.StringBuilder(length);
        for (int n = 0; n < length; n++)
        {
            if (unknown >= 0) logits.Data[unknown] = double.NegativeInfinity;
            int next = Draw(logits.Data, temperature, rng);
            output.Append(vocabulary[next]);
            (logits, state) = Step(model, next, vocabulary.Size, state);
        }
        return output.ToString();
    }

    // One character in, the logits for the next one out: x one-hot [1, 1, V] → logits [V].
    private static (Tensor Logits, RecurrentState State) Step(SequenceModel model, int symbol, int vocabularySize, RecurrentState? state)
    {
        var x = Tensor.OneHot([symbol], vocabularySize).Reshape(1, 1, vocabularySize);
        var (y, next) = model.Forward(x, state);
        return (y.Reshape(vocabularySize), next);
    }

    /// <summary>Draws an index from p_i ∝ exp(logit_i / T) (computed stably by subtracting the largest logit; a logit of −∞ is never drawn).</summary>
    public static int Draw(double[] logits, double temperature, Rng rng)
    {
        double max = logits.Max(), total = 0;
        var p = new double[logits.Length];
        for (int i = 0; i < p.Length; i++) total += p[i] = Math.Exp((logits[i] - max) / temperature);
        double u = rng.NextDouble() * total;
        for (int i = 0; i < p.Length; i++)
            if ((u -= p[i]) < 0) return i;
        return p.Length - 1;
    }
}
