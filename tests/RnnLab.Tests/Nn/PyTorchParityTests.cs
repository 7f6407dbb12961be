using RnnLab.Autodiff;
using RnnLab.Nn;

namespace RnnLab.Tests.Nn;

/// <summary>
/// PyTorch parity: a 2-layer bidirectional LSTM, GRU and RNN (tanh and ReLU) with fixed weights give the same outputs,
/// final states, loss and gradients as PyTorch 1.13 (float64). Reference numbers were produced by this script
/// (run with /usr/bin/python3, Debian python3-torch) and pasted below:
/// </summary>
//
//   import math, torch
//   torch.set_default_dtype(torch.float64)
//   def fill(t, f):
//       flat = t.view(-1)
//       for k in range(flat.numel()): flat[k] = f(k)
//   def run(name, layer, has_c):
//       T, B, I, H, L, D = 4, 2, 3, 2, 2, 2
//       with torch.no_grad():
//           for pi, (n, p) in enumerate(layer.named_parameters()):
//               fill(p, lambda k: 0.4 * math.sin(0.7 * k + 1.3 * pi + 0.5))
//       x = torch.empty(T, B, I); fill(x, lambda k: math.sin(0.37 * k + 0.2)); x.requires_grad_()
//       h0 = torch.empty(L * D, B, H); fill(h0, lambda k: 0.3 * math.cos(0.5 * k))
//       c0 = torch.empty(L * D, B, H); fill(c0, lambda k: 0.2 * math.sin(0.9 * k + 1))
//       if has_c: out, (hn, cn) = layer(x, (h0, c0))
//       else: out, hn = layer(x, h0); cn = None
//       wo = torch.empty_like(out); fill(wo, lambda k: math.cos(0.29 * k + 0.1))
//       wh = torch.empty_like(hn); fill(wh, lambda k: math.sin(0.41 * k))
//       loss = (out * wo).sum() + (hn * wh).sum()
//       if has_c:
//           wc = torch.empty_like(cn); fill(wc, lambda k: math.cos(0.53 * k + 0.3)); loss = loss + (cn * wc).sum()
//       loss.backward()
//       def arr(t): return "[" + ", ".join(repr(float(v)) for v in t.detach().reshape(-1)) + "]"
//       print(f"// {name}")
//       print(f"Output = {arr(out)},")
//       print(f"HN = {arr(hn)},")
//       if has_c: print(f"CN = {arr(cn)},")
//       print(f"Loss = {float(loss)!r},")
//       probes = []
//       for pi, (n, p) in enumerate(layer.named_parameters()):
//           g = p.grad.reshape(-1)
//           probes.append(sum(float(g[k]) * math.cos(0.23 * k + pi) for k in range(g.numel())))
//       print("ParamNames = [" + ", ".join('"%s"' % n for n, _ in layer.named_parameters()) + "],")
//       print("GradProbes = [" + ", ".join(repr(v) for v in probes) + "],")
//       print(f"GradX = {arr(x.grad)},")
//   run("LSTM", torch.nn.LSTM(3, 2, num_layers=2, bidirectional=True), True)
//   run("GRU", torch.nn.GRU(3, 2, num_layers=2, bidirectional=True), False)
//   run("RNN tanh", torch.nn.RNN(3, 2, num_layers=2, bidirectional=True), False)
//   run("RNN relu", torch.nn.RNN(3, 2, num_layers=2, bidirectional=True, nonlinearity='relu'), False)
public sealed class PyTorchParityTests
{
    private sealed record Reference(double[] Output, double[] HN, double[]? CN, double Loss, string[] ParamNames, double[] GradProbes, double[] GradX);

    private static readonly Reference Lstm = new(
        Output: [-0.06812552016043624, -0.17621225927211343, 0.03314369103924526, -0.21215198714581313, -0.1743646284430976, -0.20146629613825018, 0.035596785294208684, -0.21090220592116468, -0.15309354926113347, -0.2572901886880621, 0.006168108137278736, -0.19667171739334657, -0.1832583336721372, -0.27208170892332745, 0.022421940592987525, -0.19544675564743041, -0.180356813688726, -0.2946266037841627, -0.024654743053016858, -0.17143403521465628, -0.19410187975101664, -0.29716252950818717, 0.0286407407802589, -0.16565327458958093, -0.19044650748709538, -0.3065716649048726, -0.07468259078089351, -0.14220307559625583, -0.19702267715819158, -0.3110236727830581, 0.03265392208344389, -0.10253047570428092],
        HN: [0.04998643040015391, 0.11813142875048056, 0.10652789113389054, 0.07986829735999523, -0.10949471215349496, -0.291783007167247, 0.040689607211138526, -0.35072570285143445, -0.19044650748709538, -0.3065716649048726, -0.19702267715819158, -0.3110236727830581, 0.03314369103924526, -0.21215198714581313, 0.035596785294208684, -0.21090220592116468],
        CN: [0.0636034141616957, 0.22451179682243078, 0.1355034228064748, 0.13816107820829077, -0.17150145609755207, -0.4197065246452894, 0.06710630036616516, -0.46366779596243857, -0.4800239938674262, -0.6949603820772472, -0.5106304340899849, -0.7009257481856979, 0.09427210094323148, -0.6759046123494561, 0.10377906238518808, -0.6458645316735004],
        Loss: 0.09180183979396284,
        ParamNames: ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
        GradProbes: [-3.162486247377487, -0.5193668978038065, -2.2752728793427877, -1.7249907688399815, -0.5453234817544582, 0.13082174624204382, -0.5735972833138872, 0.4231833873508547, -0.14535457738437962, -0.4499729616039445, 0.5509209797793376, 0.9276233717934211, 0.032352088137320406, 0.10466949098873503, -0.5157850326349774, -0.6724254963296449],
        GradX: [-0.002620619441839809, 0.02578306866266928, 0.04206057670356413, -0.06503147314079945, -0.055817987256553604, -0.020352429785440843, 0.00977216306791702, 0.022850179906034766, 0.025181400090434437, -0.012734814351702244, -0.0015810617592392669, 0.010316288883365422, 0.01150487583427165, -0.014989952189163562, -0.03443477147357115, 0.008723336391965894, 0.0018788722468757579, -0.0058492548741086725, 0.01649946845456164, -0.10084767134552695, -0.17076457552348148, 0.0638266921488818, -0.03475350673505666, -0.11698858836297546]);
    private static readonly Reference Gru = new(
        Output: [-0.21534073368718687, -0.4028851747019153, 0.2136422593189498, -0.39964940801125437, -0.12599984376959983, -0.2530592461619313, 0.1890462395255284, -0.38815875994334476, -0.23629489544002044, -0.5276902144580793, 0.1910835734330113, -0.3356144895371417, -0.2425285598154143, -0.42363819666390534, 0.19853678693032262, -0.3763049203378058, -0.33851880550702973, -0.5306446569911887, 0.1969312053083782, -0.2552323868257377, -0.24778384667732842, -0.5449986126044478, 0.21898644987247204, -0.33159483304419624, -0.29290356366935744, -0.5937008454633689, 0.24721821522457882, -0.09474225128998526, -0.2471388778278222, -0.606128414875942, 0.2139569852984452, -0.18818888989686827],
        HN: [-0.004714018270550312, 0.2757299008270962, 0.060893408812736916, 0.11897456276424517, -0.14931807108014994, -0.4765667691305289, 0.17095647326467356, -0.4299381278243773, -0.29290356366935744, -0.5937008454633689, -0.2471388778278222, -0.606128414875942, 0.2136422593189498, -0.39964940801125437, 0.1890462395255284, -0.38815875994334476],
        CN: null,
        Loss: 0.6108809613212729,
        ParamNames: ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
        GradProbes: [-2.648891923256252, -0.42995886333709343, -2.462168776327455, -1.006104061190315, 2.2700357199379297, -0.314560185711664, 1.8605582005630057, -0.19973143816177408, 0.09568346822533728, 0.14057316408091056, -0.10224223665465329, -0.5698713195937712, -0.1609207386507557, -0.10119547328097792, 1.446074614902118, 1.0011968623529839],
        GradX: [0.20300819961247724, 0.106917674269734, -0.039457903916809464, 0.17900308576026927, 0.14035485127535463, 0.03569553713059338, 0.02596271531188551, -0.02801435026056685, -0.06881582916917699, -0.0685485711906211, -0.13533574717971739, -0.1384724065908101, -0.039982747186727924, -0.08217795461729215, -0.08572358592538243, -0.10587498687906081, -0.1432927128722085, -0.11331763699115538, -0.02395220857257946, -0.005890122690933496, 0.014942179927964283, 0.10806943347321503, -0.008494520150816958, -0.1210633682173808]);
    private static readonly Reference RnnTanh = new(
        Output: [0.6280709531668736, 0.3373052984868359, 0.03991556878007224, 0.6885015086283761, 0.6154746932054259, 0.5211562158491674, -0.03643287865204967, 0.6831923190918777, 0.6615898330767696, 0.5749321733285292, 0.08113899906769408, 0.6243969505909125, 0.7185541356521795, 0.5280965285329792, 0.28798619843784223, 0.5177285228390418, 0.7386637160305748, 0.524742425526906, 0.33955514347603555, 0.5165265745803785, 0.7423703831247274, 0.5427245764436747, 0.21997066847311258, 0.5988014075486965, 0.6817074795140613, 0.6428371789432593, 0.11596449352013892, 0.6299867848236225, 0.6682554384556958, 0.6582507952618127, 0.19512952244618328, 0.5922140902105376],
        HN: [-0.02869488195861172, -0.6125796546097383, 0.00406152206390023, -0.4490117073188832, 0.5554619421077552, 0.22047102520353026, 0.24852972100599013, 0.5575444923042419, 0.6817074795140613, 0.6428371789432593, 0.6682554384556958, 0.6582507952618127, 0.03991556878007224, 0.6885015086283761, -0.03643287865204967, 0.6831923190918777],
        CN: null,
        Loss: -1.5740205667662828,
        ParamNames: ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
        GradProbes: [3.709470527787827, -0.4091207016566047, -1.0532031871163332, -2.0176306164860183, -0.92897046362418, 0.1306193536227373, 4.719741362528589, 3.2735464963280676, -0.06681138233108252, 2.4417316955270296, 0.6535631123768986, -0.1801405579783823, -3.51337067376904, -0.8545686793410058, -0.14344631817182407, 1.813554225591608],
        GradX: [0.2140792657887492, 0.3434285714804439, 0.311258053785431, -0.04220613251059843, 0.11612448462440693, 0.21983994214542907, 0.05590231102871748, 0.16276975905172872, 0.1930840460450692, 0.0558901112387146, 0.09312162062375354, 0.08655657676398137, -0.0032462983872494945, 0.059398930951412146, 0.0941079149297262, 0.03424361588714056, 0.08152878168523148, 0.09046968753440346, 0.05744831056766403, -0.005929774639336131, -0.06651899417817188, 0.30982574513892236, 0.26088523471584507, 0.08924632196166589]);
    private static readonly Reference RnnRelu = new(
        Output: [0.4904204149801971, 0.6763441211168442, 0.0, 1.2641593021860174, 0.48997958381479073, 0.8870581740392693, 0.0, 1.258143341299882, 0.6815124551501061, 0.9758168096831392, 0.0, 1.0795458744795685, 0.6560337319645647, 1.058397463522347, 0.0, 0.9507811713088591, 0.6174729963235751, 1.2086034116195186, 0.0, 1.0051436387819375, 0.6112407858951001, 1.2773610132741027, 0.0, 1.0575089671675695, 0.5637879178339824, 1.3896632320649809, 0.0, 0.9278377492968705, 0.6203993457403932, 1.352100231144042, 0.0, 0.821713573755706],
        HN: [0.40951332172836147, 0.0, 0.40421679738513644, 0.0, 0.7359943242776565, 0.32702447859057765, 0.4502031221305909, 0.7271888605416769, 0.5637879178339824, 1.3896632320649809, 0.6203993457403932, 1.352100231144042, 0.0, 1.2641593021860174, 0.0, 1.258143341299882],
        CN: null,
        Loss: -1.666970937619567,
        ParamNames: ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
        GradProbes: [0.05207422191875999, -0.07160364402377134, 0.030423151945204268, 0.07237515584303993, 0.5515923477631018, 1.0837171085833734, 2.2999686867611846, 1.597361430833578, 1.351459672892585, 6.285173243156063, 2.014758751696096, -0.5117384799907458, -1.5261261836943856, -0.6730960470917726, 0.16466851987760753, 1.5772930224665829],
        GradX: [0.13181690211718466, 0.2794398684846009, 0.2956378983353193, -0.0630600606286625, -0.04079080106934297, 0.000663009606737, 0.0065991678805861955, 0.00021619063735029212, -0.006268464440703336, 0.02252406262768408, -0.004767079188017459, -0.02981618917392733, -0.07299611550488047, 0.015449178453346066, 0.09662848238489159, -0.06052063648560623, 0.012808820122951672, 0.08011408848435003, 0.043591113143693405, -0.009690269204968155, -0.058414166531900076, 0.10633318676321508, 0.11448904229170734, 0.06879891228977641]);

    private static Tensor Filled(Func<int, double> f, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        for (int k = 0; k < t.Size; k++) t.Data[k] = f(k);
        return t;
    }

    private static void FillParameters(Module layer)
    {
        int pi = 0;
        foreach (var (_, p) in layer.NamedParameters())
        {
            int index = pi++;
            for (int k = 0; k < p.Size; k++) p.Data[k] = 0.4 * Math.Sin(0.7 * k + 1.3 * index + 0.5);
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static void Compare(Module layer, Reference r, Tensor x, Tensor output, Tensor hn, Tensor? cn)
    {
        Assert.Equal(r.ParamNames, layer.NamedParameters().Select(p => p.Name));
        AssertClose(r.Output, output.Data);
        AssertClose(r.HN, hn.Data);
        if (r.CN is not null) AssertClose(r.CN, cn!.Data);
        var loss = (output * Filled(k => Math.Cos(0.29 * k + 0.1), output.Shape)).Sum()
                 + (hn * Filled(k => Math.Sin(0.41 * k), hn.Shape)).Sum();
        if (cn is not null) loss += (cn * Filled(k => Math.Cos(0.53 * k + 0.3), cn.Shape)).Sum();
        Assert.Equal(r.Loss, loss.Item(), 1e-12);
        loss.Backward();
        var probes = layer.NamedParameters().Select((p, pi) =>
            Enumerable.Range(0, p.Value.Size).Sum(k => p.Value.Grad![k] * Math.Cos(0.23 * k + pi))).ToArray();
        AssertClose(r.GradProbes, probes, 1e-11);
        AssertClose(r.GradX, x.Grad!, 1e-12);
    }

    private static (Tensor X, Tensor H0, Tensor C0) Inputs()
    {
        var x = Filled(k => Math.Sin(0.37 * k + 0.2), 4, 2, 3);
        x.RequiresGrad = true;
        return (x, Filled(k => 0.3 * Math.Cos(0.5 * k), 4, 2, 2), Filled(k => 0.2 * Math.Sin(0.9 * k + 1), 4, 2, 2));
    }

    [Fact]
    public void Lstm_matches_PyTorch()
    {
        var lstm = new Lstm(3, 2, new Rng(0), numLayers: 2, bidirectional: true);
        FillParameters(lstm);
        var (x, h0, c0) = Inputs();
        var y = lstm.Forward(x, h0, c0);
        Compare(lstm, Lstm, x, y.Output, y.HN, y.CN);
    }

    [Fact]
    public void Gru_matches_PyTorch()
    {
        var gru = new Gru(3, 2, new Rng(0), numLayers: 2, bidirectional: true);
        FillParameters(gru);
        var (x, h0, _) = Inputs();
        var y = gru.Forward(x, h0);
        Compare(gru, Gru, x, y.Output, y.HN, null);
    }

    [Theory]
    [InlineData(Nonlinearity.Tanh)]
    [InlineData(Nonlinearity.Relu)]
    public void Rnn_matches_PyTorch(Nonlinearity nonlinearity)
    {
        var rnn = new Rnn(3, 2, new Rng(0), numLayers: 2, nonlinearity: nonlinearity, bidirectional: true);
        FillParameters(rnn);
        var (x, h0, _) = Inputs();
        var y = rnn.Forward(x, h0);
        Compare(rnn, nonlinearity == Nonlinearity.Tanh ? RnnTanh : RnnRelu, x, y.Output, y.HN, null);
    }
}
