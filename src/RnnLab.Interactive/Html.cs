using System.Net;

namespace RnnLab.Interactive;

/// <summary>Small helpers shared by the HTML renderers.</summary>
internal static class Html
{
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>The font and colours every RnnLab output uses, so tables look the same in VS Code, Jupyter and on GitHub.</summary>
    public const string Font = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px";

    /// <summary>Positions to show along a dimension of size n: all of them when n ≤ max, else the first and last few with a gap (-1).</summary>
    public static IEnumerable<int> Edges(int n, int max)
    {
        if (n <= max)
        {
            for (int i = 0; i < n; i++) yield return i;
            yield break;
        }
        int head = max / 2, tail = max - head - 1;
        for (int i = 0; i < head; i++) yield return i;
        yield return -1;
        for (int i = n - tail; i < n; i++) yield return i;
    }
}
