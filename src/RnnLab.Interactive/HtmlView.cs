namespace RnnLab.Interactive;

/// <summary>
/// A piece of HTML to show in a notebook cell. Every display helper returns one; the formatter
/// installed by <see cref="Notebook.Setup"/> writes it out as <c>text/html</c>. No JavaScript is
/// used anywhere, so the output also renders offline and on GitHub.
/// </summary>
public sealed record HtmlView(string Html)
{
    public override string ToString() => Html;
}
