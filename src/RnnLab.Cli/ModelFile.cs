using System.Globalization;
using RnnLab.Autodiff;
using RnnLab.Data;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Cli;

/// <summary>
/// Loads a character model from a safetensors checkpoint, written by <c>rnnlab train char-lm</c> or exported from
/// PyTorch: tensors named like the state dict of a module with <c>rnn = nn.LSTM(V, H, L)</c> (or nn.GRU / nn.RNN)
/// and <c>head = nn.Linear(H, V)</c>, one-hot input, and in <c>__metadata__</c> at least <c>vocabulary</c> (the
/// characters, in index order) and <c>cell</c> (lstm, gru or rnn). Sizes are read from the tensor shapes.
/// </summary>
public static class ModelFile
{
    public sealed record CharModel(SequenceModel Model, CharVocabulary Vocabulary, IReadOnlyDictionary<string, string> Metadata);

    public static CharModel LoadCharModel(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"no checkpoint at {Path.GetFullPath(path)}");
        var content = Checkpoint.Read(path);
        var meta = content.Metadata;
        if (!meta.TryGetValue("vocabulary", out var vocabularyText))
            throw new UsageException($"{path} has no 'vocabulary' in its __metadata__, so it is not a character model " +
                                     "(write one with 'rnnlab train char-lm', or see the README for exporting from PyTorch)");
        var vocabulary = CharVocabulary.FromMetadataString(vocabularyText);
        string cell = meta.TryGetValue("cell", out var c) ? c.ToLowerInvariant() : "lstm";
        var kind = cell switch
        {
            "lstm" => RecurrentKind.Lstm,
            "gru" => RecurrentKind.Gru,
            "rnn" or "rnn_tanh" => RecurrentKind.RnnTanh,
            "rnn_relu" => RecurrentKind.RnnRelu,
            _ => throw new UsageException($"{path}: unknown cell '{cell}' in __metadata__; expected lstm, gru or rnn"),
        };
        if (!content.Tensors.TryGetValue("rnn.weight_hh_l0", out var whh) || !content.Tensors.ContainsKey("head.weight"))
            throw new UsageException($"{path} has no rnn.weight_hh_l0 / head.weight tensors: not a character model checkpoint " +
                                     $"(it holds {string.Join(", ", content.Tensors.Keys.Take(6))}{(content.Tensors.Count > 6 ? ", ..." : "")})");
        int hidden = whh.Shape[1];
        int layers = 0;
        while (content.Tensors.ContainsKey($"rnn.weight_hh_l{layers}")) layers++;
        var model = new SequenceModel(kind, vocabulary.Size, hidden, vocabulary.Size, new Rng(0), layers);
        try
        {
            model.LoadStateDict(content.Tensors);
        }
        catch (RnnLabException e)
        {
            throw new UsageException($"{path} does not fit a {cell} character model with V = {vocabulary.Size}, H = {hidden}, " +
                                     $"{layers} layer(s): {e.Message}");
        }
        model.Eval();
        return new CharModel(model, vocabulary, meta);
    }

    public static string Describe(CharModel m) => string.Create(CultureInfo.InvariantCulture,
        $"{m.Model.Kind} character model: {m.Vocabulary.Size} symbols, {m.Model.HiddenSize} hidden units, {m.Model.NumLayers} layer(s)");
}
