using System.Xml.Linq;
using RnnLab.Autodiff;
using RnnLab.Interactive;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class TableTests
{
    private sealed record Row(string Op, double Error, bool Passed);

    [Fact]
    public void A_table_of_records_has_one_column_per_property()
    {
        var html = XElement.Parse(Show.Table([new Row("Tanh", 1.234567e-9, true), new Row("Mul", 0.5, false)]).Html);
        Assert.Equal(["Op", "Error", "Passed"], html.Descendants("th").Select(t => t.Value));
        Assert.Equal(["Tanh", "1.235E-09", "True", "Mul", "0.5", "False"], html.Descendants("td").Select(t => t.Value));
    }

    [Fact]
    public void Text_is_escaped_and_ragged_rows_are_refused()
    {
        var html = Show.Table(["a"], [["<b>x</b>"]]).Html;
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", html);
        var e = Assert.Throws<RnnLabException>(() => Show.Table(["a", "b"], [["only one"]]));
        Assert.Contains("row 1 has 1 values but there are 2 headers", e.Message);
    }
}
