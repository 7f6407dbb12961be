using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Nn;

public sealed class EmbeddingAndModelTests
{
    [Fact]
    public void Embedding_looks_up_rows_and_rejects_unknown_tokens()
    {
        var emb = new Embedding(5, 3, new Rng(0));
        var y = emb.Forward(Tensor.FromArray([4, 0, 4, 1], 2, 2));
        Assert.Equal([2, 2, 3], y.Shape);
        Assert.Equal(emb.Weight.Data[12..15], y.Data[..3]);
        Assert.Equal(["weight"], emb.NamedParameters().Select(p => p.Name));
        Assert.Contains("index 5", Assert.Throws<RnnLabException>(() => emb.Forward(Tensor.FromArray([5.0], 1, 1))).Message);
        Assert.Throws<RnnLabException>(() => emb.Forward(Tensor.FromArray([1.5], 1, 1)));
    }

    [Fact]
    public void Sequence_model_has_PyTorch_dotted_names_and_round_trips_through_a_checkpoint()
    {
        var model = new SequenceModel(RecurrentKind.Lstm, 4, 3, 4, new Rng(1));
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"],
            model.NamedParameters().Select(p => p.Name));
        string path = Path.Combine(Path.GetTempPath(), $"rnnlab-model-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.Save(path, model, new Dictionary<string, string> { ["kind"] = "lstm", ["vocab"] = "[\"a\",\"b\",\"c\",\"d\"]" });
            var copy = new SequenceModel(RecurrentKind.Lstm, 4, 3, 4, new Rng(2));
            var meta = Checkpoint.Load(path, copy);
            Assert.Equal("[\"a\",\"b\",\"c\",\"d\"]", meta["vocab"]);
            var x = Tensor.Uniform(new Rng(3), -1, 1, 5, 2, 4);
            Assert.Equal(model.Forward(x).Output.Data, copy.Forward(x).Output.Data);
            Assert.Contains("'rnn.weight_ih_l0'", Assert.Throws<RnnLabException>(() =>
                Checkpoint.Load(path, new SequenceModel(RecurrentKind.Gru, 4, 3, 4, new Rng(2)))).Message);
        }
        finally { File.Delete(path); }
    }
}
