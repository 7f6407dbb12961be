using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RnnLab.Data;

/// <summary>
/// A deliberately simple word tokenizer for the sentiment lessons.
/// <para>Rule: the text is lower-cased (invariant culture); a token is either a run of letters and digits,
/// which may contain apostrophes between letters (<c>don't</c>, <c>it's</c>), or any other single
/// non-space character (so <c>"great!"</c> is <c>great</c>, <c>!</c>). Whitespace separates tokens.</para>
/// <para>Vocabulary: index 0 is <c>&lt;pad&gt;</c> (filler for short sequences in a batch), index 1 is
/// <c>&lt;unk&gt;</c> (any word not kept), then the most frequent words, ties broken alphabetically,
/// up to a cap on the total size.</para>
/// </summary>
public sealed class WordTokenizer
{
    public const string PadToken = "<pad>", UnknownToken = "<unk>";
    public const int PadIndex = 0, UnknownIndex = 1;

    private readonly string[] _words;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>The vocabulary in index order, starting with <c>&lt;pad&gt;</c>, <c>&lt;unk&gt;</c>.</summary>
    public IReadOnlyList<string> Words => _words;

    public int Size => _words.Length;

    private WordTokenizer(string[] words)
    {
        _words = words;
        for (int i = 0; i < words.Length; i++) _index[words[i]] = i;
    }

    /// <summary>Splits text into tokens by the rule in the class summary.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.ToLowerInvariant();
        var tokens = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            bool apostropheInWord = c is '\'' or '’' && word.Length > 0 && i + 1 < s.Length && char.IsLetter(s[i + 1]);
            if (char.IsLetterOrDigit(c) || apostropheInWord) { word.Append(c == '’' ? '\'' : c); continue; }
            if (word.Length > 0) { tokens.Add(word.ToString()); word.Clear(); }
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) tokens.Add(s.Substring(i++, 2));   // 😀: one token
            else if (!char.IsWhiteSpace(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format) tokens.Add(c.ToString());
        }
        if (word.Length > 0) tokens.Add(word.ToString());
        return tokens;
    }

    /// <summary>
    /// Builds the vocabulary from <paramref name="texts"/>: the specials, then the most frequent words seen at
    /// least <paramref name="minCount"/> times, at most <paramref name="maxVocabulary"/> entries in all.
    /// </summary>
    public static WordTokenizer Fit(IEnumerable<string> texts, int maxVocabulary, int minCount = 1)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (maxVocabulary < 3)
            throw new RnnLabException($"WordTokenizer.Fit: maxVocabulary must be at least 3 (<pad>, <unk> and one word), got {maxVocabulary}");
        if (minCount < 1) throw new RnnLabException($"WordTokenizer.Fit: minCount must be at least 1, got {minCount}");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string text in texts)
            foreach (string t in Tokenize(text))
                counts[t] = counts.GetValueOrDefault(t) + 1;
        if (counts.Count == 0) throw new RnnLabException("WordTokenizer.Fit: the texts hold no tokens");
        IEnumerable<string> kept = counts.Where(kv => kv.Value >= minCount && kv.Key is not PadToken and not UnknownToken)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxVocabulary - 2).Select(kv => kv.Key);
        return new WordTokenizer([PadToken, UnknownToken, .. kept]);
    }

    /// <summary>The index of a (lower-case) token, or <see cref="UnknownIndex"/>.</summary>
    public int IndexOf(string token) => _index.TryGetValue(token, out int i) ? i : UnknownIndex;

    /// <summary>Token indices of <paramref name="text"/>.</summary>
    public int[] Encode(string text) => Tokenize(text).Select(IndexOf).ToArray();

    /// <summary>The tokens at the given indices, separated by spaces (padding is dropped).</summary>
    public string Decode(IEnumerable<int> indices) => string.Join(' ', indices.Where(i => i != PadIndex).Select(i =>
        (uint)i < (uint)Size ? _words[i] : throw new RnnLabException($"WordTokenizer.Decode: index {i} is out of range 0 … {Size - 1}")));

    /// <summary>The vocabulary as a JSON array, for checkpoint metadata.</summary>
    public string ToMetadataString() => JsonSerializer.Serialize(_words);

    public static WordTokenizer FromMetadataString(string metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string[]? words;
        try { words = JsonSerializer.Deserialize<string[]>(metadata); }
        catch (JsonException e) { throw new RnnLabException($"WordTokenizer.FromMetadataString: not a saved vocabulary ({e.Message})", e); }
        if (words is null || words.Length < 2 || words[PadIndex] != PadToken || words[UnknownIndex] != UnknownToken || words.Distinct().Count() != words.Length)
            throw new RnnLabException("WordTokenizer.FromMetadataString: not a saved vocabulary (expected a JSON array of distinct words starting with \"<pad>\", \"<unk>\")");
        return new WordTokenizer(words);
    }

    public override string ToString() => $"WordTokenizer({Size} words: {string.Join(' ', _words.Take(12))}{(Size > 12 ? " …" : "")})";
}
