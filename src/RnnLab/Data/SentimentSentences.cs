namespace RnnLab.Data;

/// <summary>One review sentence and its sentiment: 0 negative, 1 positive. <paramref name="Source"/> is amazon, imdb or yelp.</summary>
public sealed record LabelledSentence(string Text, int Label, string Source);

/// <summary>
/// Sentiment Labelled Sentences (Kotzias et al. 2015): 1000 sentences each from Amazon, IMDb and Yelp reviews,
/// 500 positive and 500 negative per source. Each line of a file is <c>sentence TAB label</c>.
/// IMDb's file has long lines and non-ASCII characters; it is read as UTF-8.
/// </summary>
public static class SentimentSentences
{
    /// <summary>The three sources, in the order <see cref="Load"/> returns them.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["amazon", "imdb", "yelp"];

    /// <summary>
    /// All 3000 sentences (Amazon, then IMDb, then Yelp, each in file order). <paramref name="path"/> may be the
    /// folder of the three files, or the UCI zip; otherwise RNNLAB_DATA_DIR, the cache, or a download of the zip.
    /// </summary>
    public static LabelledSentence[] Load(string? path = null, DatasetFetcher? fetcher = null)
    {
        LocatedDataset found = (fetcher ?? new DatasetFetcher()).Fetch(Datasets.SentimentSentences.Name, path);
        return Sources.SelectMany(source => ReadFile(found.PathOf(FileName(source)), source)).ToArray();
    }

    /// <summary>The file name of a source, e.g. <c>amazon_cells_labelled.txt</c>.</summary>
    public static string FileName(string source) => source switch
    {
        "amazon" => "amazon_cells_labelled.txt",
        "imdb" => "imdb_labelled.txt",
        "yelp" => "yelp_labelled.txt",
        _ => throw new RnnLabException($"SentimentSentences: unknown source '{source}'; the sources are {string.Join(", ", Sources)}"),
    };

    /// <summary>Parses one file of <c>sentence TAB 0|1</c> lines; blank lines are skipped, anything else malformed names the file and line.</summary>
    public static LabelledSentence[] ReadFile(string path, string source)
    {
        string[] lines = TextFiles.ReadLines(path);
        var sentences = new List<LabelledSentence>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            int tab = lines[i].LastIndexOf('\t');
            if (tab < 0)
                throw new RnnLabException($"{path}, line {i + 1}: expected 'sentence<TAB>label' but there is no tab: \"{Clip(lines[i])}\"");
            string label = lines[i][(tab + 1)..].Trim();
            if (label is not ("0" or "1"))
                throw new RnnLabException($"{path}, line {i + 1}: the label must be 0 (negative) or 1 (positive), found \"{Clip(label)}\"");
            string text = lines[i][..tab].Trim();
            if (text.Length == 0) throw new RnnLabException($"{path}, line {i + 1}: the sentence before the tab is empty");
            sentences.Add(new LabelledSentence(text, label[0] - '0', source));
        }
        if (sentences.Count == 0) throw new RnnLabException($"{path}: holds no sentences (only blank lines)");
        return [.. sentences];
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
