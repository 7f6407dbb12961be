using System.Globalization;
using RnnLab.Autodiff;

namespace RnnLab.Data.Tasks;

/// <summary>A date written by a human (<paramref name="Source"/>) and in ISO form yyyy-mm-dd (<paramref name="Target"/>).</summary>
public sealed record DatePair(string Source, string Target, DateOnly Date, string Format);

/// <summary>
/// Date pairs encoded for a sequence-to-sequence model. <see cref="Source"/>: source characters [S, B], padded with
/// index 0 (mask with <see cref="PaddedBatch.Mask"/>). <see cref="Decoder"/>: teacher forcing, inputs '^' + target and
/// targets target + '$', [11, B], in <see cref="DateTranslation.TargetVocabulary"/>.
/// </summary>
public sealed record DateBatch(PaddedBatch Source, TokenBatch Decoder, DatePair[] Pairs);

/// <summary>
/// Date-format translation for the attention lessons: many human formats of a date → ISO <c>yyyy-mm-dd</c>,
/// e.g. "3rd of March 1998", "03/03/98", "Tuesday, March 3, 1998", "3 Mar 1998" → "1998-03-03".
/// Dates lie in 1950–2049, so a two-digit year is unambiguous (50–99 → 19xx, 00–49 → 20xx), and every numeric
/// format is day-first, so the mapping is a function a model can learn. About 10% of all days are held out
/// (<see cref="IsHeldOut"/>): test on them to measure generalisation to dates never seen in training.
/// <para>Long inputs: <c>fillerWords</c> surrounds the date with that many random words
/// ("memo signed by ... 3 Mar 1998 ... invoice"), for comparing models as inputs grow longer.</para>
/// </summary>
public static class DateTranslation
{
    public static readonly DateOnly MinDate = new(1950, 1, 1), MaxDate = new(2049, 12, 31);

    /// <summary>The decoder's first input, and the symbol it must emit after the date.</summary>
    public const char StartSymbol = '^', EndSymbol = '$';

    /// <summary>Every character a source can hold (index 0 is the unknown symbol, also used as padding).</summary>
    public static CharVocabulary SourceVocabulary { get; } =
        new(" ,-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The decoder's symbols: '^' (start), '$' (end), '-', the digits.</summary>
    public static CharVocabulary TargetVocabulary { get; } = new("^$-0123456789", unknown: null);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (string Name, Func<DateOnly, string> Write)[] AllFormats =
    [
        ("d MMM yyyy", d => d.ToString("d MMM yyyy", Inv)),                         // 3 Mar 1998
        ("d MMMM yyyy", d => d.ToString("d MMMM yyyy", Inv)),                       // 3 March 1998
        ("dd/MM/yy", d => d.ToString("dd/MM/yy", Inv)),                             // 03/03/98
        ("dd/MM/yyyy", d => d.ToString("dd/MM/yyyy", Inv)),                         // 03/03/1998
        ("d.M.yyyy", d => d.ToString("d.M.yyyy", Inv)),                             // 3.3.1998
        ("dd-MMM-yyyy", d => d.ToString("dd-MMM-yyyy", Inv)),                       // 03-Mar-1998
        ("MMMM d, yyyy", d => d.ToString("MMMM d, yyyy", Inv)),                     // March 3, 1998
        ("MMM d yyyy", d => d.ToString("MMM d yyyy", Inv)),                         // Mar 3 1998
        ("dddd, MMMM d, yyyy", d => d.ToString("dddd, MMMM d, yyyy", Inv)),         // Tuesday, March 3, 1998
        ("ddd d MMM yyyy", d => d.ToString("ddd d MMM yyyy", Inv)),                 // Tue 3 Mar 1998
        ("dddd d MMMM yyyy", d => d.ToString("dddd d MMMM yyyy", Inv)),             // Tuesday 3 March 1998
        ("Dth of MMMM yyyy", d => $"{Ordinal(d.Day)} of {d.ToString("MMMM yyyy", Inv)}"),         // 3rd of March 1998
        ("the Dth of MMMM, yyyy", d => $"the {Ordinal(d.Day)} of {d.ToString("MMMM, yyyy", Inv)}"), // the 3rd of March, 1998
        ("MMMM Dth, yyyy", d => $"{d.ToString("MMMM", Inv)} {Ordinal(d.Day)}, {d.Year}"),         // March 3rd, 1998
        ("yyyy/MM/dd", d => d.ToString("yyyy/MM/dd", Inv)),                         // 1998/03/03
        ("d mmmm yy (lower case)", d => d.ToString("d MMMM yy", Inv).ToLowerInvariant()),          // 3 march 98
        ("DD MMM YYYY (upper case)", d => d.ToString("dd MMM yyyy", Inv).ToUpperInvariant()),      // 03 MAR 1998
        ("d-M-yy", d => d.ToString("d-M-yy", Inv)),                                 // 3-3-98
    ];

    private static readonly string[] Filler =
    [
        "please", "note", "the", "meeting", "is", "on", "was", "moved", "to", "memo", "dated", "invoice", "sent",
        "received", "signed", "by", "email", "deadline", "report", "due", "party", "booked", "for", "flight",
        "ticket", "paid", "order", "shipped", "contract", "starts", "ends", "letter", "from", "office", "visit",
    ];

    /// <summary>The names of the formats, e.g. "dd/MM/yy", "Dth of MMMM yyyy".</summary>
    public static IReadOnlyList<string> Formats { get; } = AllFormats.Select(f => f.Name).ToArray();

    /// <summary>The date in the named format.</summary>
    public static string Format(DateOnly date, string format)
    {
        CheckRange(date);
        int i = Array.FindIndex(AllFormats, f => f.Name == format);
        if (i < 0) throw new RnnLabException($"DateTranslation.Format: unknown format '{format}'; the formats are: {string.Join(" | ", Formats)}");
        return AllFormats[i].Write(date);
    }

    /// <summary>The ISO form, yyyy-mm-dd.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", Inv);

    /// <summary>
    /// True for the ~10% of days reserved for testing: a fixed pseudo-random choice (a multiplicative hash of the
    /// day number), so training and held-out dates never overlap whatever the seed.
    /// </summary>
    public static bool IsHeldOut(DateOnly date) => ((ulong)(uint)date.DayNumber * 0x9E3779B97F4A7C15UL >> 40) % 10 == 0;

    /// <summary>
    /// <paramref name="count"/> random pairs: uniform days (training days, or held-out days when
    /// <paramref name="heldOut"/>), uniform formats, and <paramref name="fillerWords"/> random words around the date.
    /// </summary>
    public static DatePair[] Generate(int count, Rng rng, bool heldOut = false, int fillerWords = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 0) throw new RnnLabException($"DateTranslation.Generate: count must not be negative, got {count}");
        if (fillerWords < 0) throw new RnnLabException($"DateTranslation.Generate: fillerWords must not be negative, got {fillerWords}");
        var pairs = new DatePair[count];
        for (int i = 0; i < count; i++)
        {
            DateOnly date;
            do date = DateOnly.FromDayNumber(rng.NextInt(MinDate.DayNumber, MaxDate.DayNumber + 1));
            while (IsHeldOut(date) != heldOut);
            var (name, write) = AllFormats[rng.NextInt(AllFormats.Length)];
            pairs[i] = new DatePair(WithFiller(write(date), fillerWords, rng), Iso(date), date, name);
        }
        return pairs;
    }

    /// <summary>
    /// <paramref name="source"/> with <paramref name="fillerWords"/> random words around it, a random number of them
    /// before and the rest after ("memo signed by 03/03/98 invoice"); unchanged (and no random draws) for 0.
    /// </summary>
    public static string WithFiller(string source, int fillerWords, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rng);
        if (fillerWords < 0) throw new RnnLabException($"DateTranslation.WithFiller: fillerWords must not be negative, got {fillerWords}");
        if (fillerWords == 0) return source;
        int before = rng.NextInt(fillerWords + 1);
        var words = Enumerable.Range(0, fillerWords).Select(_ => Filler[rng.NextInt(Filler.Length)]).ToArray();
        return string.Join(' ', [.. words[..before], source, .. words[before..]]);
    }

    /// <summary>Encodes pairs for a seq2seq model; see <see cref="DateBatch"/>.</summary>
    public static DateBatch Encode(IReadOnlyList<DatePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new RnnLabException("DateTranslation.Encode: no pairs were given");
        PaddedBatch source = Batching.Pad(pairs.Select(p => SourceVocabulary.Encode(p.Source)).ToArray(), padIndex: 0);
        int b = pairs.Count, steps = 11;
        var x = new int[steps * b];
        var y = new int[steps * b];
        for (int j = 0; j < b; j++)
        {
            int[] input = TargetVocabulary.Encode(StartSymbol + pairs[j].Target);            // ^yyyy-mm-dd
            int[] output = TargetVocabulary.Encode(pairs[j].Target + EndSymbol);             // yyyy-mm-dd$
            for (int t = 0; t < steps; t++) { x[t * b + j] = input[t]; y[t * b + j] = output[t]; }
        }
        return new DateBatch(source, new TokenBatch(x, y, steps, b), [.. pairs]);
    }

    private static readonly Lazy<Baseline> ExactBaseline = new(() =>
    {
        // Enumerate every day of the range: per output position, the most common character is the best guess
        // of a model that ignores its input; average the hit rates over the 10 positions.
        var counts = new Dictionary<char, int>[10];
        for (int i = 0; i < 10; i++) counts[i] = new();
        int days = 0;
        for (int n = MinDate.DayNumber; n <= MaxDate.DayNumber; n++, days++)
        {
            string iso = Iso(DateOnly.FromDayNumber(n));
            for (int i = 0; i < 10; i++) counts[i][iso[i]] = counts[i].GetValueOrDefault(iso[i]) + 1;
        }
        double accuracy = counts.Average(c => (double)c.Values.Max() / days);
        return new Baseline("character accuracy", accuracy,
            "ignore the input and write the most common character at each of the 10 output positions (exact, over every day 1950-2049); " +
            $"its whole-date accuracy is 1/{days}");
    });

    /// <summary>The character accuracy of a decoder that ignores its input (the most common character per position).</summary>
    public static Baseline Baseline => ExactBaseline.Value;

    private static string Ordinal(int day) => day + (day % 100 is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static void CheckRange(DateOnly date)
    {
        if (date < MinDate || date > MaxDate)
            throw new RnnLabException($"DateTranslation: {Iso(date)} is outside {Iso(MinDate)} … {Iso(MaxDate)} (two-digit years would be ambiguous)");
    }
}
