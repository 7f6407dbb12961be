using System.Text.Json;

namespace RnnLab.Data;

/// <summary>
/// Maps characters to indices 0 … Size−1 and back, for character-level models (char-rnn).
/// When the vocabulary has an unknown symbol (by default U+FFFD '�') it sits at index 0 and every
/// character not in the vocabulary encodes to it; without one, an unseen character is an error.
/// Saved in checkpoint metadata with <see cref="ToMetadataString"/>.
/// </summary>
public sealed class CharVocabulary
{
    public const char DefaultUnknown = '\uFFFD';

    private readonly char[] _symbols;
    private readonly Dictionary<char, int> _index = new();

    /// <summary>The unknown symbol (index 0), or null when unseen characters are an error.</summary>
    public char? Unknown { get; }

    /// <summary>The symbols in index order (the unknown symbol first when there is one).</summary>
    public IReadOnlyList<char> Symbols => _symbols;

    /// <summary>Number of symbols, the size of a one-hot vector.</summary>
    public int Size => _symbols.Length;

    /// <summary>A vocabulary of the given symbols, in the given order, after the unknown symbol if any.</summary>
    public CharVocabulary(IEnumerable<char> symbols, char? unknown = DefaultUnknown)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Unknown = unknown;
        var list = new List<char>();
        if (unknown is char u) list.Add(u);
        foreach (char c in symbols)
        {
            if (c == unknown)
                throw new RnnLabException($"CharVocabulary: the symbol {Show(c)} is also the unknown symbol; choose another unknown symbol");
            if (list.Contains(c)) throw new RnnLabException($"CharVocabulary: the symbol {Show(c)} appears twice");
            list.Add(c);
        }
        if (list.Count == 0) throw new RnnLabException("CharVocabulary: no symbols were given");
        _symbols = [.. list];
        for (int i = 0; i < _symbols.Length; i++) _index[_symbols[i]] = i;
    }

    /// <summary>Every distinct character of <paramref name="text"/>, sorted by code (as char-rnn does).</summary>
    public static CharVocabulary FromText(string text, char? unknown = DefaultUnknown)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new RnnLabException("CharVocabulary.FromText: the text is empty");
        return new CharVocabulary(text.Where(c => c != unknown).Distinct().Order(), unknown);
    }

    public bool Contains(char c) => _index.ContainsKey(c);

    /// <summary>The index of <paramref name="c"/> (the unknown symbol's index, 0, when it is not in the vocabulary).</summary>
    public int IndexOf(char c)
    {
        if (_index.TryGetValue(c, out int i)) return i;
        if (Unknown is not null) return 0;
        throw new RnnLabException($"CharVocabulary: the character {Show(c)} is not in the vocabulary of {Size} symbols, which has no unknown symbol");
    }

    /// <summary>The symbol at <paramref name="index"/>.</summary>
    public char this[int index] => (uint)index < (uint)Size ? _symbols[index]
        : throw new RnnLabException($"CharVocabulary: index {index} is out of range 0 … {Size - 1}");

    /// <summary>One index per character.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = IndexOf(text[i]);
        return ids;
    }

    /// <summary>The characters at the given indices.</summary>
    public string Decode(IEnumerable<int> indices) => new(indices.Select(i => this[i]).ToArray());

    // Saved as UTF-16 code units, not as a string: a vocabulary can hold half of a surrogate pair
    // (characters outside the BMP are two chars), which a JSON string cannot carry.
    private sealed record Saved(int[] Codes, int? Unknown);

    /// <summary>A JSON string holding the symbols (as UTF-16 code units), for checkpoint metadata; <see cref="FromMetadataString"/> reads it back.</summary>
    public string ToMetadataString()
    {
        char[] symbols = Unknown is null ? _symbols : _symbols[1..];
        return JsonSerializer.Serialize(new Saved(symbols.Select(c => (int)c).ToArray(), Unknown));
    }

    public static CharVocabulary FromMetadataString(string metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Saved? saved;
        try { saved = JsonSerializer.Deserialize<Saved>(metadata); }
        catch (JsonException e) { throw new RnnLabException($"CharVocabulary.FromMetadataString: not a saved vocabulary ({e.Message})", e); }
        if (saved?.Codes is null || saved.Codes.Any(c => c is < 0 or > char.MaxValue) || saved.Unknown is < 0 or > char.MaxValue)
            throw new RnnLabException("CharVocabulary.FromMetadataString: not a saved vocabulary (expected {\"Codes\": [UTF-16 code units], \"Unknown\": code or null})");
        return new CharVocabulary(saved.Codes.Select(c => (char)c), (char?)saved.Unknown);
    }

    public override string ToString() => $"CharVocabulary({Size} symbols: {string.Concat(_symbols.Take(40).Select(c => char.IsControl(c) ? ' ' : c))}{(Size > 40 ? "…" : "")})";

    internal static string Show(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
