using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Nn;

public sealed class ModuleTests
{
    private sealed class TwoLayer : Module
    {
        public Linear Hidden { get; }
        public Linear Head { get; }
        public Tensor Scale { get; }

        public TwoLayer(Rng rng)
        {
            Scale = RegisterParameter("scale", Tensor.Ones(1));
            Hidden = RegisterModule("hidden", new Linear(3, 4, rng));
            Head = RegisterModule("head", new Linear(4, 2, rng, bias: false));
        }
    }

    [Fact]
    public void Named_parameters_use_PyTorch_dotted_names_in_registration_order()
    {
        var m = new TwoLayer(new Rng(0));
        Assert.Equal(["scale", "hidden.weight", "hidden.bias", "head.weight"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal([4, 3], m.NamedParameters().Single(p => p.Name == "hidden.weight").Value.Shape);
        Assert.Equal(1 + 12 + 4 + 8, m.ParameterCount());
        Assert.All(m.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void ZeroGrad_clears_every_gradient()
    {
        var m = new TwoLayer(new Rng(0));
        var y = m.Head.Forward(m.Hidden.Forward(Tensor.Ones(2, 3)));
        y.Backward(Tensor.Ones(2, 2));
        Assert.Contains(m.Hidden.Weight.Grad!, v => v != 0);
        m.ZeroGrad();
        Assert.All(m.Parameters().Where(p => p.Grad is not null), p => Assert.All(p.Grad!, v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void Train_and_Eval_reach_every_submodule()
    {
        var m = new TwoLayer(new Rng(0));
        Assert.True(m.IsTraining && m.Head.IsTraining);
        m.Eval();
        Assert.False(m.IsTraining || m.Hidden.IsTraining || m.Head.IsTraining);
        m.Train();
        Assert.True(m.Hidden.IsTraining);
    }

    [Fact]
    public void State_dict_round_trips_and_reports_every_mismatch()
    {
        var a = new TwoLayer(new Rng(1));
        var b = new TwoLayer(new Rng(2));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Hidden.Weight.Data, b.Hidden.Weight.Data);
        Assert.NotSame(a.StateDict()["head.weight"].Data, a.Head.Weight.Data);   // a copy, not the parameter

        var state = a.StateDict();
        state.Remove("scale");
        state["extra"] = Tensor.Zeros(1);
        state["head.weight"] = Tensor.Zeros(3, 3);
        var ex = Assert.Throws<RnnLabException>(() => b.LoadStateDict(state));
        Assert.Contains("missing: scale", ex.Message);
        Assert.Contains("unexpected: extra", ex.Message);
        Assert.Contains("'head.weight' has shape [3, 3] in the state but [2, 4] in the model", ex.Message);
    }

    [Fact]
    public void Linear_computes_x_W_transpose_plus_b_and_checks_its_input()
    {
        var lin = new Linear(2, 3, new Rng(0));
        Array.Copy(new double[] { 1, 2, 3, 4, 5, 6 }, lin.Weight.Data, 6);
        Array.Copy(new double[] { 0.5, 0, -1 }, lin.Bias!.Data, 3);
        var y = lin.Forward(Tensor.FromArray(new double[,] { { 1, 1 }, { 2, -1 } }));
        Assert.Equal([3.5, 7, 10, 0.5, 2, 3], y.Data);
        Assert.Contains("Linear: expected input [B, 2]", Assert.Throws<RnnLabException>(() => lin.Forward(Tensor.Zeros(2, 5))).Message);
    }
}
