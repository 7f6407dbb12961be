using System.Reflection;
using Plotly.NET;

namespace RnnLab.Plots.Html;

/// <summary>
/// plotly.js itself, read from the copy Plotly.NET ships inside its assembly (an embedded
/// resource, <c>Plotly.NET.plotly-&lt;version&gt;.min.js</c>, MIT licensed). Inlining it makes a
/// page work with no network; no download happens at build or run time.
/// </summary>
public static class PlotlyJs
{
    private static readonly Lazy<(string Version, string Source)> Bundle = new(Load);

    /// <summary>The plotly.js version embedded in Plotly.NET (e.g. "2.28.0").</summary>
    public static string Version => Bundle.Value.Version;

    /// <summary>The minified plotly.js source, ready to put inside a &lt;script&gt; element.</summary>
    public static string Source => Bundle.Value.Source;

    private static (string, string) Load()
    {
        Assembly plotly = typeof(GenericChart).Assembly;
        const string prefix = "Plotly.NET.plotly-", suffix = ".min.js";
        string name = plotly.GetManifestResourceNames().SingleOrDefault(n => n.StartsWith(prefix) && n.EndsWith(suffix))
            ?? throw new RnnLabException(
                $"PlotlyJs: no embedded '{prefix}*{suffix}' resource in {plotly.GetName()}; " +
                "this RnnLab.Plots build expects Plotly.NET 6.0.0 (see Directory.Packages.props).");
        using var stream = plotly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        string source = reader.ReadToEnd();
        // "</script" inside the source would end the inline element early; plotly.min.js has none, but make sure.
        if (source.Contains("</script", StringComparison.OrdinalIgnoreCase))
            source = source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
        return (name[prefix.Length..^suffix.Length], source);
    }
}
