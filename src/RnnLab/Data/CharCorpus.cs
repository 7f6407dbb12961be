namespace RnnLab.Data;

/// <summary>
/// A text ready for a character-level language model: the vocabulary of all its characters, and its
/// indices split contiguously into a training part (the beginning) and a validation part (the end).
/// </summary>
public sealed record CharCorpus(string Text, CharVocabulary Vocabulary, int[] Train, int[] Validation)
{
    /// <summary>Builds the vocabulary from the whole text (as char-rnn does) and splits it.</summary>
    public static CharCorpus FromText(string text, double validationFraction = 0.1, char? unknown = CharVocabulary.DefaultUnknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vocabulary = CharVocabulary.FromText(text, unknown);
        TrainValidation<string> parts = Splits.Contiguous(text, validationFraction);
        return new CharCorpus(text, vocabulary, vocabulary.Encode(parts.Train), vocabulary.Encode(parts.Validation));
    }
}

/// <summary>Tiny Shakespeare: 1,115,394 characters of Shakespeare's plays, char-rnn's corpus (65 distinct characters).</summary>
public static class TinyShakespeare
{
    /// <summary>The whole text. <paramref name="path"/>: an explicit file or folder; otherwise RNNLAB_DATA_DIR, the cache, a download.</summary>
    public static string LoadText(string? path = null, DatasetFetcher? fetcher = null) =>
        TextFiles.ReadAllText((fetcher ?? new DatasetFetcher()).Fetch(Datasets.TinyShakespeare.Name, path).Path);

    /// <summary>The text as a <see cref="CharCorpus"/>: the first 90% for training, the last 10% for validation by default.</summary>
    public static CharCorpus Load(double validationFraction = 0.1, string? path = null, DatasetFetcher? fetcher = null) =>
        CharCorpus.FromText(LoadText(path, fetcher), validationFraction);
}
