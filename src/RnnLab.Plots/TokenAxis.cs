using Plotly.NET.LayoutObjects;

namespace RnnLab.Plots;

/// <summary>
/// Time steps are drawn at x = 0, 1, …, T−1 and labelled with their input tokens. Positions,
/// not token strings, are the coordinates: a sequence like "hello" repeats tokens, and a
/// categorical axis would merge the two l's into one column.
/// </summary>
internal static class TokenAxis
{
    /// <summary>Above this many steps only every k-th token is labelled, so labels never overlap.</summary>
    public const int MaxLabels = 64;

    /// <summary>Makes whitespace visible: a space is '␣', a newline '↵', a tab '→'.</summary>
    public static string Display(string token) => token switch
    {
        "" => "∅",
        " " => "␣",
        "\n" => "↵",
        "\r\n" => "↵",
        "\t" => "→",
        _ => token.Replace("\n", "↵").Replace("\t", "→"),
    };

    public static string[] Display(IReadOnlyList<string> tokens) => tokens.Select(Display).ToArray();

    /// <summary>Token labels on an axis whose coordinates are positions 0..n−1.</summary>
    /// <param name="reversed">Put position 0 at the top (for a y axis read like a matrix).</param>
    public static LinearAxis Apply(LinearAxis axis, IReadOnlyList<string> tokens, bool reversed = false)
    {
        int n = tokens.Count;
        int every = Math.Max(1, (int)Math.Ceiling(n / (double)MaxLabels));
        var positions = Enumerable.Range(0, n).Where(i => i % every == 0).ToArray();
        return axis
            .With("tickmode", "array")
            .With("tickvals", positions)
            .With("ticktext", positions.Select(i => Display(tokens[i])).ToArray())
            .With("tickangle", 0)
            .With("range", reversed ? new[] { n - 0.5, -0.5 } : new[] { -0.5, n - 0.5 });
    }
}
