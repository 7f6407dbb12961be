using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

/// <summary>Random sizes (1 … 4) and a seed: the input of every property-based gradient check.</summary>
public sealed record Dims(int A, int B, int C, ulong Seed)
{
    public Rng Rng() => new(Seed);
}

/// <summary>
/// One catalogue of ops (minitorch's idea): each entry builds, from random sizes and a seed, a function of
/// tensors and its inputs. GradientTests checks every entry against central differences.
/// </summary>
public static class OpCatalogue
{
    public delegate (Func<Tensor[], Tensor> F, Tensor[] Inputs) Build(Dims d);

    private static Tensor N(Rng rng, params int[] shape) => Tensor.Normal(rng, 0, 1, shape);
    private static Tensor Positive(Rng rng, params int[] shape) => Tensor.Uniform(rng, 0.5, 2, shape);
    // Values at least 0.1 away from 0: kinks (relu, abs) must not sit inside the difference step.
    private static Tensor AwayFromZero(Rng rng, params int[] shape)
    {
        var t = Tensor.Uniform(rng, 0.1, 2, shape);
        for (int i = 0; i < t.Size; i++) if (rng.NextDouble() < 0.5) t.Data[i] = -t.Data[i];
        return t;
    }

    // Values in [−2, 2) at least 0.05 away from each of the given points (clamp boundaries).
    private static Tensor AwayFrom(Rng rng, double[] points, params int[] shape)
    {
        var t = Tensor.Uniform(rng, -2, 2, shape);
        for (int i = 0; i < t.Size; i++)
            foreach (double p in points)
                if (Math.Abs(t.Data[i] - p) < 0.05) t.Data[i] = p + (t.Data[i] < p ? -0.05 : 0.05);
        return t;
    }

    private static (Func<Tensor[], Tensor>, Tensor[]) Of(Func<Tensor[], Tensor> f, params Tensor[] inputs) => (f, inputs);

    public static readonly IReadOnlyDictionary<string, Build> Ops = new Dictionary<string, Build>
    {
        // ---- elementwise with broadcasting ----
        ["Add [A,B,C] + [C]"] = d => { var r = d.Rng(); return Of(x => x[0] + x[1], N(r, d.A, d.B, d.C), N(r, d.C)); },
        ["Sub [A,B] − [A,1]"] = d => { var r = d.Rng(); return Of(x => x[0] - x[1], N(r, d.A, d.B), N(r, d.A, 1)); },
        ["Mul [A,B,C] · [B,1]"] = d => { var r = d.Rng(); return Of(x => x[0] * x[1], N(r, d.A, d.B, d.C), N(r, d.B, 1)); },
        ["Mul [A,B] · scalar"] = d => { var r = d.Rng(); return Of(x => x[0] * x[1], N(r, d.A, d.B), N(r)); },
        ["Div [A,B] / [B]"] = d => { var r = d.Rng(); return Of(x => x[0] / x[1], N(r, d.A, d.B), AwayFromZero(r, d.B)); },
        ["Neg"] = d => Of(x => -x[0], N(d.Rng(), d.A, d.B)),
        ["Tanh"] = d => Of(x => x[0].Tanh(), N(d.Rng(), d.A, d.B, d.C) * 2),
        ["Sigmoid"] = d => Of(x => x[0].Sigmoid(), N(d.Rng(), d.A, d.B, d.C) * 3),
        ["Relu"] = d => Of(x => x[0].Relu(), AwayFromZero(d.Rng(), d.A, d.B, d.C)),
        ["Exp"] = d => Of(x => x[0].Exp(), N(d.Rng(), d.A, d.B, d.C)),
        ["Log"] = d => Of(x => x[0].Log(), Positive(d.Rng(), d.A, d.B, d.C)),
        ["Square"] = d => Of(x => x[0].Square(), N(d.Rng(), d.A, d.B, d.C)),
        ["Sqrt"] = d => Of(x => x[0].Sqrt(), Positive(d.Rng(), d.A, d.B, d.C)),
        ["Abs"] = d => Of(x => x[0].Abs(), AwayFromZero(d.Rng(), d.A, d.B, d.C)),
        ["Pow (integer p, any sign)"] = d => Of(x => x[0].Pow(3), N(d.Rng(), d.A, d.B, d.C)),
        ["Pow (real p, positive x)"] = d => { double p = new[] { 0.5, -1.5, 2.5, 1.3 }[d.Seed % 4]; return Of(x => x[0].Pow(p), Positive(d.Rng(), d.A, d.B, d.C)); },
        ["Clamp"] = d => Of(x => x[0].Clamp(-0.5, 0.5), AwayFrom(d.Rng(), [-0.5, 0.5], d.A, d.B, d.C)),
        ["Dropout (training)"] = d => Of(x => x[0].Dropout(0.3, new Rng(d.Seed), training: true), N(d.Rng(), d.A, d.B, d.C)),

        // ---- matmul ----
        ["MatMul [A,B]·[B,C]"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1]), N(r, d.A, d.B), N(r, d.B, d.C)); },
        ["MatMul [B,A]ᵀ·[B,C]"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1], transposeA: true), N(r, d.B, d.A), N(r, d.B, d.C)); },
        ["MatMul [A,B]·[C,B]ᵀ"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1], transposeB: true), N(r, d.A, d.B), N(r, d.C, d.B)); },
        ["MatMul [B,A]ᵀ·[C,B]ᵀ"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1], true, true), N(r, d.B, d.A), N(r, d.C, d.B)); },
        ["MatMul batched [A,B,C]·[A,C,B]"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1]), N(r, d.A, d.B, d.C), N(r, d.A, d.C, d.B)); },
        ["MatMul batched [A,B,C]·shared [C,2]"] = d => { var r = d.Rng(); return Of(x => Tensor.MatMul(x[0], x[1]), N(r, d.A, d.B, d.C), N(r, d.C, 2)); },
        ["Linear [A,B]·[C,B]ᵀ + [C]"] = d => { var r = d.Rng(); return Of(x => Tensor.Linear(x[0], x[1], x[2]), N(r, d.A, d.B), N(r, d.C, d.B), N(r, d.C)); },
        ["Linear batched [A,B,C]·[2,C]ᵀ + [2]"] = d => { var r = d.Rng(); return Of(x => Tensor.Linear(x[0], x[1], x[2]), N(r, d.A, d.B, d.C), N(r, 2, d.C), N(r, 2)); },
        ["Linear without bias"] = d => { var r = d.Rng(); return Of(x => Tensor.Linear(x[0], x[1]), N(r, d.A, d.B), N(r, d.C, d.B)); },

        // ---- shape ----
        ["Reshape"] = d => Of(x => x[0].Reshape(d.C, -1), N(d.Rng(), d.A, d.B, d.C)),
        ["Transpose()"] = d => Of(x => x[0].Transpose(), N(d.Rng(), d.A, d.B, d.C)),
        ["Transpose(0, 2)"] = d => Of(x => x[0].Transpose(0, 2), N(d.Rng(), d.A, d.B, d.C, 2)),
        ["Concat axis 1"] = d => { var r = d.Rng(); return Of(x => Tensor.Concat(x, 1), N(r, d.A, d.B, d.C), N(r, d.A, d.C, d.C), N(r, d.A, 1, d.C)); },
        ["Concat axis 0"] = d => { var r = d.Rng(); return Of(x => Tensor.Concat(x, 0), N(r, d.A, d.B), N(r, d.C, d.B)); },
        ["Stack"] = d => { var r = d.Rng(); int axis = (int)(d.Seed % 4); return Of(x => Tensor.Stack(x, axis), N(r, d.A, d.B, d.C), N(r, d.A, d.B, d.C)); },
        ["Split chunks"] = d => Of(x => { var p = x[0].Split(2, 1); return p[0] * p[1].Tanh(); }, N(d.Rng(), d.A, 2 * d.B)),
        ["Split sizes"] = d => Of(x => { var p = x[0].Split([d.B, d.C], -1); return Tensor.MatMul(p[0], p[1], transposeA: true); }, N(d.Rng(), d.A, d.B + d.C)),
        ["Slice"] = d => Of(x => x[0].Slice(1, d.B - 1, 2), N(d.Rng(), d.A, d.B + 1, d.C)),
        ["Select"] = d => Of(x => x[0].Select(0, d.A - 1) * x[0].Select(0, 0), N(d.Rng(), d.A, d.B, d.C)),

        // ---- reductions ----
        ["Sum()"] = d => Of(x => x[0].Sum(), N(d.Rng(), d.A, d.B, d.C)),
        ["Sum(axis)"] = d => Of(x => x[0].Sum((int)(d.Seed % 3)), N(d.Rng(), d.A, d.B, d.C)),
        ["Sum(axis, keepDim)"] = d => Of(x => x[0] * x[0].Sum(-1, keepDim: true), N(d.Rng(), d.A, d.B)),
        ["Mean()"] = d => Of(x => x[0].Mean(), N(d.Rng(), d.A, d.B, d.C)),
        ["Mean(axis)"] = d => Of(x => x[0].Mean((int)(d.Seed % 3)), N(d.Rng(), d.A, d.B, d.C)),

        // ---- softmax and losses ----
        ["Softmax"] = d => Of(x => x[0].Softmax((int)(d.Seed % 3)), N(d.Rng(), d.A, d.B, d.C + 1) * 3),
        ["LogSoftmax"] = d => Of(x => x[0].LogSoftmax((int)(d.Seed % 3)), N(d.Rng(), d.A, d.B, d.C + 1) * 3),
        ["CrossEntropy with ignoreIndex"] = d =>
        {
            var r = d.Rng();
            int rows = d.A * d.B, classes = d.C + 1;
            var targets = Enumerable.Range(0, rows).Select(i => i > 0 && r.NextDouble() < 0.25 ? -100 : r.NextInt(classes)).ToArray();
            return Of(x => Tensor.CrossEntropy(x[0], targets), N(r, rows, classes) * 3);
        },
        ["MseLoss"] = d => { var r = d.Rng(); return Of(x => Tensor.MseLoss(x[0], x[1]), N(r, d.A, d.B), N(r, d.A, d.B)); },
        ["GatherRows (repeated rows)"] = d =>
        {
            var r = d.Rng();
            var idx = Enumerable.Range(0, d.B + 2).Select(_ => r.NextInt(d.A)).ToArray();
            return Of(x => Tensor.GatherRows(x[0], idx), N(r, d.A, d.C));
        },

        // ---- a composite: three steps of a tanh RNN, h_t = tanh(x_t Wᵀ + h_{t−1} Uᵀ + b), then cross-entropy ----
        ["Tanh RNN, 3 steps, cross-entropy"] = d =>
        {
            var r = d.Rng();
            int batch = d.A, input = d.B, hidden = d.C + 1;
            var targets = Enumerable.Range(0, batch).Select(_ => r.NextInt(hidden)).ToArray();
            return Of(p =>
            {
                var h = Tensor.Zeros(batch, hidden);
                for (int t = 0; t < 3; t++)
                    h = (Tensor.MatMul(p[0].Select(0, t), p[1], transposeB: true) + Tensor.MatMul(h, p[2], transposeB: true) + p[3]).Tanh();
                return Tensor.CrossEntropy(h, targets);
            }, N(r, 3, batch, input), N(r, hidden, input), N(r, hidden, hidden), N(r, hidden));
        },
    };
}
