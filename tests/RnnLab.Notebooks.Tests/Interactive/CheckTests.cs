using System.Xml.Linq;
using RnnLab.Autodiff;
using RnnLab.Interactive;

namespace RnnLab.Notebooks.Tests.Interactive;

public sealed class CheckTests
{
    private static string Verdict(CheckResult r) => (string)XElement.Parse(r.ToHtml()).Attribute("data-rnnlab-check")!;

    [Fact]
    public void That_passes_and_fails_with_its_condition_and_shows_the_hint_only_on_failure()
    {
        var ok = Check.That(true, "sum is right", "hint");
        var bad = Check.That(false, "sum is right", "add them up");
        Assert.True(ok.Passed);
        Assert.Null(ok.Detail);
        Assert.Equal("pass", Verdict(ok));
        Assert.False(bad.Passed);
        Assert.Equal("fail", Verdict(bad));
        Assert.Contains("add them up", bad.ToHtml());
    }

    [Fact]
    public void An_exception_in_the_learners_code_becomes_a_failed_check_that_quotes_it()
    {
        var r = Check.That(() => Tensor.FromArray([1.0, 2.0]).Item() > 0, "item");
        Assert.False(r.Passed);
        Assert.Contains("RnnLabException", r.Detail);
        Assert.Contains("Item:", r.Detail);
    }

    [Fact]
    public void Close_compares_numbers_with_a_relative_tolerance()
    {
        Assert.True(Check.Close(1000.0005, 1000, "x", 1e-6).Passed);
        Assert.False(Check.Close(1000.01, 1000, "x", 1e-6).Passed);
        Assert.False(Check.Close(double.NaN, 0, "x").Passed);
        Assert.Contains("expected 1000, got 1000", Check.Close(1000.01, 1000, "x", 1e-6).Detail);
    }

    [Fact]
    public void Close_on_tensors_checks_the_shape_then_every_element()
    {
        var expected = Tensor.FromArray([1.0, 2.0, 3.0]);
        Assert.True(Check.Close(Tensor.FromArray([1.0, 2.0, 3.0]), expected, "y").Passed);
        var wrongShape = Check.Close(Tensor.FromArray([1.0, 2.0, 3.0], 3, 1), expected, "y");
        Assert.False(wrongShape.Passed);
        Assert.Contains("expected shape [3], got [3, 1]", wrongShape.Detail);
        var wrongValue = Check.Close(Tensor.FromArray([1.0, 2.5, 3.0]), expected, "y");
        Assert.False(wrongValue.Passed);
        Assert.Contains("element 1", wrongValue.Detail);
        Assert.False(Check.Close(Tensor.FromArray([1.0, double.NaN, 3.0]), expected, "y").Passed);
    }
}
