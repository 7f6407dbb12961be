using RnnLab.Plots.Html;

namespace RnnLab.Plots.Tests;

public sealed class NeuronTextTests
{
    [Fact]
    public void Each_token_is_a_coloured_span_with_activation_and_top5_predictions_on_hover()
    {
        var data = Samples.NeuronText();
        string html = NeuronText.ToHtml(data);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(Samples.Text.Length, html.Split("class=\"nt-c").Length - 1);
        Assert.Contains($"background:{Style.DivergingColor(data.Activations[0])}", html);
        // The hover text for step 0 lists exactly the 5 most likely next characters, best first.
        int title = html.IndexOf("title=\"", StringComparison.Ordinal) + 7;
        string tip = System.Net.WebUtility.HtmlDecode(html[title..html.IndexOf('"', title)]);
        Assert.StartsWith("step 0, 'h': activation", tip);
        Assert.Equal(["'e'", "'o'", "'l'", "'r'", "'␣'"], tip.Split('\n').Skip(2).Select(l => l.Trim().Split(' ')[0]));
        Assert.Contains("↵\n</span>", html);                     // a newline is visible and breaks the line
    }

    [Fact]
    public void Text_is_escaped_NaN_is_hatched_with_a_note_and_bad_input_is_an_error()
    {
        string html = NeuronText.ToHtml(new NeuronTextData(["<", "b", ">"], [0.5, double.NaN, -0.5]));
        Assert.Contains("&lt;</span>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("nt-nan", html);
        Assert.Contains("1 activation is NaN", html);

        Assert.Contains("2 tokens for 3 time steps",
            Assert.Throws<RnnLabException>(() => NeuronText.ToHtml(new NeuronTextData(["a", "b"], [1, 2, 3]))).Message);
        Assert.Throws<RnnLabException>(() => NeuronText.ToHtml(new NeuronTextData([], [])));
        Assert.Throws<RnnLabException>(() => NeuronText.ToHtml(new NeuronTextData(["a"], [0.1], [[], []])));
    }
}
