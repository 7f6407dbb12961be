using Microsoft.DotNet.Interactive.Formatting;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Probes;

namespace RnnLab.Interactive;

/// <summary>
/// The one call every notebook's setup cell makes. It installs the FSharp.Core bridge that Plotly.NET
/// needs in the kernel, and the HTML formatters for RnnLab's types (tensors, models, gradient checks,
/// probe traces, check results). Calling it again does nothing new.
/// </summary>
public static class Notebook
{
    private static int formattersInstalled;

    /// <summary>
    /// Prepares the kernel and returns a green box naming the build it loaded, or a red one when that
    /// build is older than the sources or was rebuilt after the kernel loaded it.
    /// </summary>
    public static CheckResult Setup()
    {
        FSharpCoreBridge.Install();
        if (Interlocked.Exchange(ref formattersInstalled, 1) == 0) RegisterFormatters();
        return BuildCheck.Run();
    }

    private static void RegisterFormatters()
    {
        Formatter.Register<HtmlView>(v => v.Html, HtmlMimeType);
        Formatter.Register<CheckResult>(c => c.ToHtml(), HtmlMimeType);
        Formatter.Register<Tensor>(t => TensorHtml.Render(t), HtmlMimeType);
        Formatter.Register<Module>(m => ModelHtml.Render(m), HtmlMimeType);
        Formatter.Register<GradCheckResult>(r => GradCheckHtml.Render(r), HtmlMimeType);
        Formatter.Register<Trace>(t => TraceHtml.Render(t), HtmlMimeType);
    }

    private const string HtmlMimeType = "text/html";
}
