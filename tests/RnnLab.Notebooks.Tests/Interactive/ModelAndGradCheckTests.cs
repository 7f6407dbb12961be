using System.Xml.Linq;
using RnnLab.Autodiff;
using RnnLab.Interactive;
using RnnLab.Nn;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class ModelAndGradCheckTests
{
    private static string[][] Rows(XElement html) =>
        html.Descendants("tr").Skip(1).Select(tr => tr.Elements("td").Select(td => td.Value).ToArray()).ToArray();

    [Fact]
    public void A_model_lists_its_parameters_by_pytorch_name_and_adds_gradient_norms_after_backward()
    {
        var layer = new Linear(4, 3, new Rng(0));
        var before = XElement.Parse(Show.Model(layer).Html);
        Assert.Contains("Linear", before.Value);
        Assert.Contains("15 numbers", before.Value);
        Assert.DoesNotContain(before.Descendants("th"), th => th.Value == "‖grad‖");
        var rows = Rows(before);
        Assert.Equal(["weight", "[3, 4]", "12"], rows[0][..3]);
        Assert.Equal(["bias", "[3]", "3"], rows[1][..3]);

        layer.Forward(Tensor.Ones(2, 4)).Sum().Backward();
        var after = XElement.Parse(Show.Model(layer).Html);
        Assert.Contains(after.Descendants("th"), th => th.Value == "‖grad‖");
        // d(Σ y)/d bias = 2 for each of the 3 outputs (batch of 2), so ‖grad‖ = √(3·4)
        Assert.Equal(Math.Sqrt(12), double.Parse(Rows(after)[1][^1], System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public void A_gradient_check_shows_a_row_per_input_and_its_verdict()
    {
        var x = Tensor.FromArray([0.5, -1.0, 2.0]);
        x.Name = "x";
        var good = GradCheck.Check(xs => Tensor.Tanh(xs[0]), [x]);
        var html = XElement.Parse(Show.GradCheck(good).Html);
        Assert.Contains("passed", html.Value);
        Assert.Equal("x", Rows(html)[0][0]);
        Assert.Equal("✔", Rows(html)[0][^1]);
        Assert.True(Check.Gradients(good, "tanh").Passed);
    }

    [Fact]
    public void A_wrong_gradient_fails_the_check_and_the_detail_names_the_input()
    {
        var x = Tensor.FromArray([0.5, -1.0, 2.0]);
        x.Name = "x";
        var bad = GradCheck.Check(xs => xs[0] * xs[0].Detach(), [x]);   // the tape sees half of d(x²)/dx
        Assert.Contains("FAILED", XElement.Parse(Show.GradCheck(bad).Html).Value);
        var verdict = Check.Gradients(bad, "x²");
        Assert.False(verdict.Passed);
        Assert.Contains("x", verdict.Detail);
        Assert.Contains("data-rnnlab-check=\"fail\"", verdict.ToHtml());
    }
}
