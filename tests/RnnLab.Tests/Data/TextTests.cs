using RnnLab.Autodiff;
using RnnLab.Data;

namespace RnnLab.Tests.Data;

public sealed class TextTests
{
    [Fact]
    public void CharVocabulary_encodes_decodes_and_maps_unseen_characters_to_unknown()
    {
        var v = CharVocabulary.FromText("hello world");
        Assert.Equal(['\uFFFD', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w'], v.Symbols);
        Assert.Equal("hello world", v.Decode(v.Encode("hello world")));
        Assert.Equal([4, 3, 0], v.Encode("hez"));

        var strict = CharVocabulary.FromText("hello", unknown: null);
        Assert.Equal(4, strict.Size);
        var ex = Assert.Throws<RnnLabException>(() => strict.Encode("hex"));
        Assert.Contains("'x'", ex.Message);
        Assert.Throws<RnnLabException>(() => strict[4]);
    }

    [Fact]
    public void CharVocabulary_round_trips_through_metadata()
    {
        foreach (var v in new[] { CharVocabulary.FromText("Ünïcode \"quoted\"\n\t é 😀 𝄞 \0"), CharVocabulary.FromText("abc", unknown: null) })
        {
            var back = CharVocabulary.FromMetadataString(v.ToMetadataString());
            Assert.Equal(v.Symbols, back.Symbols);
            Assert.Equal(v.Unknown, back.Unknown);
        }
        Assert.Throws<RnnLabException>(() => CharVocabulary.FromMetadataString("not json"));
        Assert.Throws<RnnLabException>(() => CharVocabulary.FromMetadataString("{\"Codes\":[97,97],\"Unknown\":null}"));
    }

    [Fact]
    public void WordTokenizer_splits_words_and_punctuation_and_caps_the_vocabulary()
    {
        Assert.Equal(["don't", "buy", "it", "-", "-", "great", "!", "10", "/", "10"],
            WordTokenizer.Tokenize("Don't buy it -- GREAT!  10/10"));
        Assert.Equal(["it's", "'", "fine", "'"], WordTokenizer.Tokenize("It’s 'fine'"));
        Assert.Equal(["good", "😀", "!"], WordTokenizer.Tokenize("good😀!"));

        var tok = WordTokenizer.Fit(["the cat sat", "the cat ran", "the dog"], maxVocabulary: 4);
        Assert.Equal(["<pad>", "<unk>", "the", "cat"], tok.Words);
        Assert.Equal([2, 3, 1], tok.Encode("The CAT flew"));
        Assert.Equal("the cat <unk>", tok.Decode([2, 3, 1, 0, 0]));
        Assert.Equal(tok.Words, WordTokenizer.FromMetadataString(tok.ToMetadataString()).Words);

        var rare = WordTokenizer.Fit(["a a b"], maxVocabulary: 100, minCount: 2);
        Assert.Equal(["<pad>", "<unk>", "a"], rare.Words);
        Assert.Throws<RnnLabException>(() => WordTokenizer.Fit(["a"], maxVocabulary: 2));
        Assert.Throws<RnnLabException>(() => WordTokenizer.FromMetadataString("[\"a\",\"b\"]"));
    }

    [Fact]
    public void Splits_are_contiguous_or_seeded_and_cover_everything_once()
    {
        var parts = Splits.Contiguous("abcdefghij", 0.2);
        Assert.Equal("abcdefgh", parts.Train);
        Assert.Equal("ij", parts.Validation);

        int[] items = Enumerable.Range(0, 100).ToArray();
        var a = Splits.Shuffled(items, 0.25, new Rng(7));
        var b = Splits.Shuffled(items, 0.25, new Rng(7));
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(25, a.Validation.Length);
        Assert.Equal(items, a.Train.Concat(a.Validation).Order());
        Assert.NotEqual(items[..75], a.Train);
        Assert.Throws<RnnLabException>(() => Splits.Contiguous(items, 1.0));
        Assert.Throws<RnnLabException>(() => Splits.Contiguous(new[] { 1 }, 0.5));
    }

    [Fact]
    public void Contiguous_batches_are_streams_that_continue_across_batches()
    {
        // Tokens equal to their positions make every index checkable.
        int n = 1003, batch = 4, steps = 7;
        int[] tokens = Enumerable.Range(0, n).ToArray();
        var batches = LanguageModelBatches.Contiguous(tokens, batch, steps);
        int streamLength = (n - 1) / batch;                                                 // 250
        Assert.Equal(streamLength / steps, batches.Count);                                  // 35
        for (int k = 0; k < batches.Count; k++)
            for (int t = 0; t < steps; t++)
                for (int b = 0; b < batch; b++)
                {
                    Assert.Equal(b * streamLength + k * steps + t, batches[k].Input(t, b));
                    Assert.Equal(batches[k].Input(t, b) + 1, batches[k].Target(t, b));
                }
        for (int k = 1; k < batches.Count; k++)
            for (int b = 0; b < batch; b++)
                Assert.Equal(batches[k - 1].Target(steps - 1, b), batches[k].Input(0, b));   // no seam between batches
        Assert.Throws<RnnLabException>(() => LanguageModelBatches.Contiguous(tokens[..20], 4, 7));
    }

    [Fact]
    public void Random_windows_are_seeded_and_shift_targets_by_one()
    {
        int[] tokens = Enumerable.Range(0, 500).ToArray();
        var a = LanguageModelBatches.RandomWindows(tokens, 8, 16, new Rng(3));
        var b = LanguageModelBatches.RandomWindows(tokens, 8, 16, new Rng(3));
        var c = LanguageModelBatches.RandomWindows(tokens, 8, 16, new Rng(4));
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.NotEqual(a.Inputs, c.Inputs);
        for (int bb = 0; bb < 8; bb++)
            for (int t = 0; t < 16; t++)
            {
                Assert.Equal(a.Input(t, bb) + 1, a.Target(t, bb));
                if (t > 0) Assert.Equal(a.Input(t - 1, bb) + 1, a.Input(t, bb));
                Assert.InRange(a.Target(t, bb), 1, 499);
            }
    }

    [Fact]
    public void Batches_become_index_and_one_hot_tensors()
    {
        var batch = new TokenBatch([0, 2, 1, TokenBatch.IgnoreIndex], [0, 0, 0, 0], Steps: 2, BatchSize: 2);
        Tensor oneHot = batch.InputOneHot(3);
        Assert.Equal([2, 2, 3], oneHot.Shape);
        Assert.Equal([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0], oneHot.Data);
        Assert.Equal([2, 2], batch.InputIndices().Shape);
        Assert.Throws<RnnLabException>(() => Batching.OneHot([5], 1, 1, 3));

        PaddedBatch padded = Batching.Pad([[5, 6, 7], [8]], padIndex: 0);
        Assert.Equal([5, 8, 6, 0, 7, 0], padded.Indices);
        Assert.Equal([1, 1, 1, 0, 1, 0], padded.Mask().Data);
        Assert.Equal([3, 2], padded.Mask().Shape);
    }

    [Fact]
    public void Tiny_Shakespeare_loads_with_its_65_characters()
    {
        CharCorpus corpus = TinyShakespeare.Load(path: null, fetcher: TestData.Fetcher());
        Assert.Equal(1_115_394, corpus.Text.Length);
        Assert.StartsWith("First Citizen:", corpus.Text);
        Assert.Equal(66, corpus.Vocabulary.Size);   // 65 characters + the unknown symbol
        Assert.Equal(1_115_394, corpus.Train.Length + corpus.Validation.Length);
        Assert.Equal(111_539, corpus.Validation.Length);
        Assert.Equal(corpus.Text[..100], corpus.Vocabulary.Decode(corpus.Train[..100]));
    }

    [Fact]
    public void Sentiment_sentences_load_from_the_folder_with_imdb_long_lines_and_non_ascii()
    {
        LabelledSentence[] all = SentimentSentences.Load(fetcher: TestData.Fetcher());
        Assert.Equal(3000, all.Length);
        foreach (string source in SentimentSentences.Sources)
        {
            Assert.Equal(1000, all.Count(s => s.Source == source));
            Assert.Equal(500, all.Count(s => s.Source == source && s.Label == 1));
        }
        var imdb = all.Where(s => s.Source == "imdb").ToArray();
        Assert.Contains(imdb, s => s.Text.Any(c => c > 127));
        Assert.True(imdb.Max(s => s.Text.Length) > 400);
        Assert.Equal("So there is no way for me to plug it in here in the US unless I go by a converter.", all[0].Text);
        Assert.Equal(0, all[0].Label);

        var tok = WordTokenizer.Fit(all.Select(s => s.Text), maxVocabulary: 1000);
        Assert.Equal(1000, tok.Size);
        Assert.Equal(["<pad>", "<unk>", "."], tok.Words.Take(3));
    }

    [Fact]
    public void Malformed_sentiment_lines_name_the_file_and_line()
    {
        using var dir = new TempDir();
        string noTab = dir.File("a.txt", "Good phone.\t1\nNo tab here 0\n");
        var ex = Assert.Throws<RnnLabException>(() => SentimentSentences.ReadFile(noTab, "amazon"));
        Assert.Contains($"{noTab}, line 2", ex.Message);
        Assert.Contains("no tab", ex.Message);

        string badLabel = dir.File("b.txt", "Good phone.\tpositive\n");
        ex = Assert.Throws<RnnLabException>(() => SentimentSentences.ReadFile(badLabel, "amazon"));
        Assert.Contains($"{badLabel}, line 1", ex.Message);
        Assert.Contains("0 (negative) or 1 (positive)", ex.Message);

        string empty = dir.File("c.txt", "");
        ex = Assert.Throws<RnnLabException>(() => SentimentSentences.ReadFile(empty, "amazon"));
        Assert.Contains("empty", ex.Message);

        string latin1 = dir.File("d.txt", [(byte)'C', (byte)'a', (byte)'f', 0xE9, (byte)'\t', (byte)'1', (byte)'\n']);
        ex = Assert.Throws<RnnLabException>(() => SentimentSentences.ReadFile(latin1, "amazon"));
        Assert.Contains("not valid UTF-8", ex.Message);
        Assert.Contains("0xE9", ex.Message);
        Assert.Contains("line 1", ex.Message);
    }
}
