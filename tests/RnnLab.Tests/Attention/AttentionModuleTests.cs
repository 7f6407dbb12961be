using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Attention;

public sealed class AttentionModuleTests
{
    private const int B = 2, T = 4, Dq = 3, Dk = 3;

    private static Tensor N(Rng rng, params int[] shape) => Tensor.Normal(rng, 0, 1, shape);

    private static RnnLab.Nn.Attention Make(string kind, Rng rng) => kind switch
    {
        "additive" => new AdditiveAttention(Dq, Dk, attentionSize: 5, rng),
        "dot" => new DotAttention(Dk),
        "scaled" => new ScaledDotAttention(Dk),
        "general" => new GeneralAttention(Dq, Dk, rng),
        _ => throw new ArgumentException(kind),
    };

    private static readonly AttentionMask Lengths = AttentionMask.Padding([T, 2], T);

    [Theory]
    [InlineData("additive", false)] [InlineData("additive", true)]
    [InlineData("dot", false)] [InlineData("dot", true)]
    [InlineData("scaled", false)] [InlineData("scaled", true)]
    [InlineData("general", false)] [InlineData("general", true)]
    public void Gradients_of_context_and_weights_match_central_differences(string kind, bool masked)
    {
        var rng = new Rng(11);
        var attention = Make(kind, rng);
        var mask = masked ? Lengths : null;
        ModuleGradCheck.AssertPasses(attention, x =>
        {
            var read = attention.Forward(x[0], x[1], mask);
            return Tensor.Concat([read.Context, read.Weights], axis: 1);
        }, [N(rng, B, Dq), N(rng, B, T, Dk)]);
    }

    [Theory]
    [InlineData("additive")] [InlineData("dot")] [InlineData("scaled")] [InlineData("general")]
    public void Weights_sum_to_one_padding_gets_exactly_zero_and_context_is_the_weighted_average(string kind)
    {
        var rng = new Rng(2);
        var attention = Make(kind, rng);
        var keys = N(rng, B, T, Dk);
        keys.Data[(1 * T + 3) * Dk] = 1e6;                 // huge values in padding cannot leak in
        var read = attention.Forward(N(rng, B, Dq), keys, Lengths);
        for (int b = 0; b < B; b++)
        {
            Assert.Equal(1, Enumerable.Range(0, T).Sum(j => read.Weights[b, j]), 1e-12);
            for (int d = 0; d < Dk; d++)
                Assert.Equal(Enumerable.Range(0, T).Sum(j => read.Weights[b, j] * keys[b, j, d]), read.Context[b, d], 1e-9);
        }
        Assert.Equal(0.0, read.Weights[1, 2]);
        Assert.Equal(0.0, read.Weights[1, 3]);
    }

    [Fact]
    public void Dot_and_scaled_scores_are_the_documented_formulas()
    {
        var q = Tensor.FromArray([1, 0, 0], 1, 3);
        var keys = Tensor.FromArray([2, 0, 0, 0, 0, 0], 1, 2, 3);       // scores 2 and 0
        var dot = new DotAttention(3).Forward(q, keys).Weights;
        Assert.Equal(Math.Exp(2) / (Math.Exp(2) + 1), dot[0, 0], 1e-12);
        var scaled = new ScaledDotAttention(3).Forward(q, keys).Weights;
        double e = Math.Exp(2 / Math.Sqrt(3));
        Assert.Equal(e / (e + 1), scaled[0, 0], 1e-12);
    }

    [Fact]
    public void Parameters_have_documented_names_and_shapes()
    {
        var rng = new Rng(1);
        string Names(Module m) => string.Join(" ", m.NamedParameters().Select(p => p.Name + Tensor.ShapeString(p.Value.Shape)));
        Assert.Equal("query_proj.weight[7, 4] key_proj.weight[7, 6] key_proj.bias[7] v.weight[1, 7]", Names(new AdditiveAttention(4, 6, 7, rng)));
        Assert.Equal("weight[6, 4]", Names(new GeneralAttention(4, 6, rng)));
        Assert.Equal("in_proj_weight[24, 8] in_proj_bias[24] out_proj.weight[8, 8] out_proj.bias[8]", Names(new MultiHeadSelfAttention(8, 2, rng)));
        Assert.Equal("weight[8] bias[8]", Names(new LayerNorm(8)));
        Assert.Equal("self_attn.in_proj_weight[24, 8] self_attn.in_proj_bias[24] self_attn.out_proj.weight[8, 8] self_attn.out_proj.bias[8] " +
                     "linear1.weight[16, 8] linear1.bias[16] linear2.weight[8, 16] linear2.bias[8] norm1.weight[8] norm1.bias[8] norm2.weight[8] norm2.bias[8]",
                     Names(new TransformerEncoderBlock(8, 2, 16, rng)));
    }

    [Fact]
    public void Bad_shapes_are_reported_with_the_expected_shape()
    {
        var rng = new Rng(1);
        var a = new AdditiveAttention(3, 4, 5, rng);
        Assert.Contains("expected keys [B, T, 4]", Assert.Throws<RnnLabException>(() => a.Forward(Tensor.Zeros(2, 3), Tensor.Zeros(2, 5, 3))).Message);
        Assert.Contains("expected query [2, 3]", Assert.Throws<RnnLabException>(() => a.Forward(Tensor.Zeros(1, 3), Tensor.Zeros(2, 5, 4))).Message);
        Assert.Contains("mask is for scores [2, 1, 4]", Assert.Throws<RnnLabException>(() =>
            a.Forward(Tensor.Zeros(2, 3), Tensor.Zeros(2, 5, 4), AttentionMask.Padding([1, 2], 4))).Message);
        Assert.Contains("between 1 and the padded length", Assert.Throws<RnnLabException>(() => AttentionMask.Padding([0], 4)).Message);
        Assert.Contains("multiple of numHeads", Assert.Throws<RnnLabException>(() => new MultiHeadSelfAttention(6, 4, rng)).Message);
    }

    [Theory]
    [InlineData(1, false)] [InlineData(2, false)] [InlineData(2, true)]
    public void Multi_head_self_attention_gradients_match_central_differences(int heads, bool causal)
    {
        var rng = new Rng(21);
        var mha = new MultiHeadSelfAttention(4, heads, rng);
        var mask = causal ? AttentionMask.Causal(2, 3).And(AttentionMask.Padding([3, 2], 3, queries: 3)) : null;
        ModuleGradCheck.AssertPasses(mha, x =>
        {
            var o = mha.Forward(x[0], mask);
            return Tensor.Concat([o.Output.Reshape(-1), o.Weights.Reshape(-1)], axis: 0);
        }, [N(rng, 2, 3, 4)]);
    }

    [Fact]
    public void Multi_head_self_attention_equals_each_head_computed_by_hand()
    {
        var rng = new Rng(8);
        var mha = new MultiHeadSelfAttention(4, 2, rng);
        var x = N(rng, 1, 3, 4);
        var o = mha.Forward(x);
        // Head i uses rows i·2 … i·2+1 of W_Q, W_K, W_V.
        var qkv = Tensor.MatMul(x, mha.InProjWeight, transposeB: true) + mha.InProjBias;   // [1, 3, 12]
        var heads = new List<Tensor>();
        for (int h = 0; h < 2; h++)
        {
            var q = qkv.Slice(2, h * 2, 2); var k = qkv.Slice(2, 4 + h * 2, 2); var v = qkv.Slice(2, 8 + h * 2, 2);
            var w = (Tensor.MatMul(q, k, transposeB: true) * (1 / Math.Sqrt(2))).Softmax();
            heads.Add(Tensor.MatMul(w, v));
            for (int i = 0; i < 9; i++) Assert.Equal(w.Data[i], o.Weights.Data[h * 9 + i], 1e-12);
        }
        var outProj = (Linear)mha.NamedChildren().Single().Value;
        var expected = outProj.Forward(Tensor.Concat(heads, axis: 2));
        for (int i = 0; i < expected.Size; i++) Assert.Equal(expected.Data[i], o.Output.Data[i], 1e-12);
    }

    [Fact]
    public void Causal_mask_gives_the_future_exactly_zero_weight_and_every_row_sums_to_one()
    {
        var rng = new Rng(3);
        var mha = new MultiHeadSelfAttention(8, 2, rng);
        var o = mha.Forward(N(rng, 2, 5, 8) * 3, AttentionMask.Causal(2, 5));
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
            {
                var map = o.Map(b, h);
                for (int q = 0; q < 5; q++)
                {
                    Assert.Equal(1, map.Weights[q].Sum(), 1e-12);
                    for (int k = q + 1; k < 5; k++) Assert.Equal(0.0, map.Weights[q][k]);
                }
            }
    }

    [Fact]
    public void Self_attention_without_positions_is_permutation_equivariant()
    {
        // Swapping two input positions swaps the outputs: the reason positional encodings exist.
        var rng = new Rng(4);
        var mha = new MultiHeadSelfAttention(4, 2, rng);
        var x = N(rng, 1, 3, 4);
        var swapped = Tensor.Concat([x.Slice(1, 2, 1), x.Slice(1, 1, 1), x.Slice(1, 0, 1)], axis: 1);
        var y = mha.Forward(x).Output; var ys = mha.Forward(swapped).Output;
        for (int d = 0; d < 4; d++) Assert.Equal(y[0, 0, d], ys[0, 2, d], 1e-12);
        var pe = PositionalEncoding.Sinusoidal(3, 4);
        Assert.NotEqual(mha.Forward(x + pe).Output[0, 0, 0], mha.Forward(swapped + pe).Output[0, 2, 0], 6);
    }

    [Fact]
    public void Sinusoidal_positional_encoding_matches_the_formula()
    {
        var pe = PositionalEncoding.Sinusoidal(50, 6);
        Assert.Equal([50, 6], pe.Shape);
        for (int pos = 0; pos < 50; pos += 7)
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(Math.Sin(pos / Math.Pow(10000, 2.0 * i / 6)), pe[pos, 2 * i], 1e-15);
                Assert.Equal(Math.Cos(pos / Math.Pow(10000, 2.0 * i / 6)), pe[pos, 2 * i + 1], 1e-15);
            }
        Assert.Equal(0.0, pe[0, 0]);
        Assert.Equal(1.0, pe[0, 1]);
    }

    [Theory]
    [InlineData(false)] [InlineData(true)]
    public void Transformer_block_gradients_match_central_differences(bool normFirst)
    {
        var rng = new Rng(31);
        var block = new TransformerEncoderBlock(4, 2, 6, rng, normFirst);
        foreach (var p in block.Parameters())   // move LayerNorm's γ, β off 1 and 0 so their gradients are exercised generally
            for (int i = 0; i < p.Size; i++) p.Data[i] += 0.1 * rng.Normal();
        ModuleGradCheck.AssertPasses(block, x => block.Forward(x[0], AttentionMask.Causal(2, 3)).Output, [N(rng, 2, 3, 4)], tolerance: 1e-5);
    }

    [Fact]
    public void Same_seed_same_numbers()
    {
        double[] Run() { var rng = new Rng(77); var block = new TransformerEncoderBlock(8, 2, 16, rng); return block.Forward(N(rng, 2, 5, 8)).Output.ToArray(); }
        Assert.Equal(Run(), Run());
    }
}
