using System.Xml.Linq;
using RnnLab.Autodiff;
using RnnLab.Interactive;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class TensorHtmlTests
{
    private static XElement Render(Tensor t) => XElement.Parse(Show.Tensor(t).Html);

    private static string[] Values(XElement table) => table.Descendants("td").Select(td => td.Value).ToArray();

    [Fact]
    public void A_small_matrix_shows_its_summary_and_every_value()
    {
        var t = Tensor.FromArray(new double[,] { { 1, -2.5, 3 }, { 4, 5, 6 } });
        t.Name = "W";
        var html = Render(t);
        Assert.StartsWith("Tensor [2, 3] \"W\"", html.Descendants("b").First().Value);
        var table = html.Descendants("table").Single();
        Assert.Equal(["1", "-2.5", "3", "4", "5", "6"], Values(table));
    }

    [Fact]
    public void A_big_matrix_shows_its_corners_with_ellipses()
    {
        var t = Tensor.FromArray(Enumerable.Range(0, 100 * 50).Select(i => (double)i).ToArray(), 100, 50);
        var table = Render(t).Descendants("table").Single();
        var rows = table.Elements("tr").ToArray();
        Assert.Equal(1 + 12, rows.Length);                       // header + 12 shown rows (one of them the ⋮ gap)
        var values = Values(table);
        Assert.Contains("0", values);                             // [0, 0]
        Assert.Contains("4999", values);                          // [99, 49]
        Assert.DoesNotContain("2500", values);                    // [50, 0] is in the gap
        Assert.Contains("…", values);
    }

    [Fact]
    public void A_rank3_tensor_shows_labelled_slices()
    {
        var html = Render(Tensor.Zeros(2, 2, 3));
        Assert.Equal(2, html.Descendants("table").Count());
        Assert.Contains(html.Descendants("div"), d => d.Value == "[1, :, :]");
    }

    [Fact]
    public void A_scalar_and_a_vector_render()
    {
        Assert.Equal(["3.5"], Values(Render(Tensor.Scalar(3.5)).Descendants("table").Single()));
        Assert.Equal(["1", "2"], Values(Render(Tensor.FromArray([1.0, 2.0])).Descendants("table").Single()));
    }

    [Fact]
    public void After_backward_the_gradient_is_shown_too()
    {
        var x = Tensor.Parameter(Tensor.FromArray([1.0, 2.0, 3.0]), "x");
        var y = Tensor.Tanh(x);
        y.Backward(Tensor.Ones(3));
        var html = Render(x);
        var tables = html.Descendants("table").ToArray();
        Assert.Equal(2, tables.Length);
        Assert.Contains("∂L/∂x", html.Value);
        Assert.Equal(1 - Math.Tanh(1) * Math.Tanh(1), double.Parse(Values(tables[1])[0], System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public void Cells_are_tinted_by_sign_and_a_constant_tensor_stays_neutral()
    {
        string Background(XElement td) => ((string)td.Attribute("style")!).Split(';').Single(p => p.StartsWith("background:", StringComparison.Ordinal));
        var signed = Render(Tensor.FromArray([-1.0, 1.0])).Descendants("td").ToArray();
        Assert.NotEqual(Background(signed[0]), Background(signed[1]));
        Assert.All(Render(Tensor.Zeros(2, 2)).Descendants("td"), td => Assert.Equal("background:#f7f7f7", Background(td)));
    }
}
