using CsCheck;
using RnnLab.Autodiff;

namespace RnnLab.Tests.Autodiff;

/// <summary>Every op of the catalogue, gradient-checked over random shapes and seeds.</summary>
public sealed class GradientTests
{
    private static readonly Gen<Dims> RandomDims =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], Gen.Int[1, 4], Gen.ULong, (a, b, c, s) => new Dims(a, b, c, s));

    public static TheoryData<string> Ops => new(OpCatalogue.Ops.Keys);

    [Theory, MemberData(nameof(Ops))]
    public void Gradient_matches_central_differences(string op) =>
        RandomDims.Sample(d =>
        {
            var (f, inputs) = OpCatalogue.Ops[op](d);
            var result = GradCheck.Check(f, inputs, d.Seed);
            Assert.True(result.Passed(1e-6), $"{op} with {d}:\n{result}");
        }, iter: 12);
}
