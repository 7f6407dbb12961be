using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace RnnLab.Plots.Html;

/// <summary>
/// Just enough Markdown for explanatory text in a report: paragraphs (separated by a blank
/// line), bullet lists ("- item"), <c>**bold**</c>, <c>*italic*</c>, <c>`code`</c> and
/// <c>[text](https://…)</c>. Everything else is shown literally (HTML-escaped, never interpreted).
/// </summary>
public static partial class MarkdownLite
{
    public static string ToHtml(string text)
    {
        var html = new StringBuilder();
        string normalised = text.Replace("\r\n", "\n").Trim('\n');
        foreach (string block in ParagraphBreak().Split(normalised))
        {
            string[] lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0) continue;
            if (lines.All(l => l.TrimStart().StartsWith("- ")))
            {
                html.Append("<ul>");
                foreach (string line in lines) html.Append("<li>").Append(Inline(line.TrimStart()[2..])).Append("</li>");
                html.Append("</ul>\n");
            }
            else
            {
                html.Append("<p>").Append(Inline(string.Join(" ", lines.Select(l => l.Trim())))).Append("</p>\n");
            }
        }
        return html.ToString();
    }

    /// <summary>Inline markup, applied to already-escaped text so user text can never inject HTML.</summary>
    private static string Inline(string text)
    {
        string s = WebUtility.HtmlEncode(text);
        s = Code().Replace(s, "<code>$1</code>");
        s = Bold().Replace(s, "<strong>$1</strong>");
        s = Italic().Replace(s, "<em>$1</em>");
        s = Link().Replace(s, "<a href=\"$2\">$1</a>");
        return s;
    }

    [GeneratedRegex(@"\n\s*\n")] private static partial Regex ParagraphBreak();
    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex Code();
    [GeneratedRegex(@"\*\*([^*]+)\*\*")] private static partial Regex Bold();
    [GeneratedRegex(@"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])")] private static partial Regex Italic();
    [GeneratedRegex(@"\[([^\]]+)\]\((https?://[^)\s]+|#[\w-]+)\)")] private static partial Regex Link();
}
