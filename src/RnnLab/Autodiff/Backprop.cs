namespace RnnLab.Autodiff;

// The tape: how ops record themselves, and how Backward() walks the record in reverse.
public sealed partial class Tensor
{
    /// <summary>Inside this scope ops record nothing (like PyTorch's <c>torch.no_grad()</c>).</summary>
    public static IDisposable NoGrad() => GradMode.EnterNoGrad();

    /// <summary>
    /// Inside this scope every op checks its output, and every backward its input gradients,
    /// for NaN or Inf, and throws naming the first op that produced one (like <c>torch.autograd.detect_anomaly</c>).
    /// </summary>
    public static IDisposable DetectAnomaly() => GradMode.EnterAnomaly();

    /// <summary>True when an op on these inputs must record a node.</summary>
    internal static bool NeedsGrad(Tensor a) => GradMode.Enabled && a.RequiresGrad;
    internal static bool NeedsGrad(Tensor a, Tensor b) => GradMode.Enabled && (a.RequiresGrad || b.RequiresGrad);
    internal static bool NeedsGrad(Tensor[] xs)
    {
        if (!GradMode.Enabled) return false;
        foreach (var x in xs) if (x.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Every op ends here: it checks the output in anomaly mode and, when gradients are wanted,
    /// attaches the node whose <paramref name="backward"/> adds the inputs' gradients.
    /// </summary>
    internal static Tensor Record(string op, Tensor output, Tensor[] inputs, Action backward)
    {
        if (GradMode.DetectAnomaly) CheckFinite(output.Data, $"{op}: forward produced", inputs);
        if (NeedsGrad(inputs))
        {
            output.RequiresGrad = true;
            output.GradFn = new Node(op, [output], inputs, backward);
            CountUses(inputs);
        }
        return output;
    }

    /// <summary>
    /// <see cref="Record"/> for a fused op with several outputs: they share one node, which runs once, after every
    /// consumer of every output, and whose <paramref name="backward"/> reads each output's gradient (null if none reached it).
    /// <paramref name="release"/> gives back the scratch buffers only <paramref name="backward"/> reads (see <see cref="RecycledArrays"/>):
    /// it runs when the node is freed after Backward(), or at once when no node is recorded.
    /// </summary>
    internal static void RecordFused(string op, Tensor[] outputs, Tensor[] inputs, Action backward, Action? release = null)
    {
        if (GradMode.DetectAnomaly)
            foreach (var output in outputs) CheckFinite(output.Data, $"{op}: forward produced", inputs);
        if (!NeedsGrad(inputs)) { release?.Invoke(); return; }
        var node = new Node(op, outputs, inputs, backward, release);
        foreach (var output in outputs)
        {
            output.RequiresGrad = true;
            output.GradFn = node;
        }
        CountUses(inputs);
    }

    // Each input gains a recorded use. An input whose gradient buffer is shared with a view of it (see Reshape) gets its own
    // copy first: the new node's backward will add to it, and that must not change the view's gradient.
    private static void CountUses(Tensor[] inputs)
    {
        foreach (var input in inputs)
        {
            input.Uses++;
            if (input.SharesGrad) input.UnshareGrad();
        }
    }

    /// <summary>The gradient buffer, allocated (zeros) on first use.</summary>
    internal double[] GradBuffer() => Grad ??= RecycledArrays.Zeroed(Size);

    /// <summary>How many recorded ops took this tensor as an input (ops inside NoGrad() are not counted).</summary>
    internal int Uses { get; private set; }

    /// <summary>True while <see cref="Grad"/> is the same array as a view's gradient (a Reshape whose only consumer is that view).</summary>
    internal bool SharesGrad { get; private set; }

    /// <summary>Makes this tensor's gradient the same array as <paramref name="view"/>'s: ∂L/∂this equals ∂L/∂view element for element.</summary>
    internal void ShareGradWith(Tensor view)
    {
        Grad = view.Grad;
        SharesGrad = view.SharesGrad = true;
    }

    private void UnshareGrad()
    {
        Grad = (double[])Grad!.Clone();
        SharesGrad = false;
    }

    /// <summary>A tensor with the same values, cut from the tape: gradients stop here.</summary>
    public Tensor Detach() => new(Data, Shape) { Name = Name };

    /// <summary>Backpropagates from a one-element tensor (the loss): ∂L/∂L = 1.</summary>
    public void Backward(bool retainGraph = false)
    {
        if (Size != 1)
            throw new RnnLabException($"Backward: called without an output gradient on a tensor of shape {ShapeString(Shape)}; " +
                                      "only a one-element loss can start backward alone. Reduce it (Sum, Mean) or pass the output gradient.");
        Backward(Ones(Shape), retainGraph);
    }

    /// <summary>Backpropagates with an explicit ∂L/∂this (same shape as this tensor).</summary>
    public void Backward(Tensor outputGrad, bool retainGraph = false)
    {
        ArgumentNullException.ThrowIfNull(outputGrad);
        if (!outputGrad.Shape.AsSpan().SequenceEqual(Shape))
            throw new RnnLabException($"Backward: output gradient has shape {ShapeString(outputGrad.Shape)} but the tensor has shape {ShapeString(Shape)}");
        if (!RequiresGrad)
            throw new RnnLabException("Backward: this tensor does not require gradients: none of its inputs was a parameter " +
                                      "(RequiresGrad = true), or it was computed inside NoGrad() or from a Detach()ed tensor");
        if (GradFn is { Freed: true })
            throw FreedError(GradFn);

        var order = TopologicalOrder();
        var dY = GradBuffer();
        for (int i = 0; i < dY.Length; i++) dY[i] += outputGrad.Data[i];

        // Reverse topological order: every node runs after all the nodes that use its output. Without retainGraph a node
        // is freed as soon as it has run (nothing later needs it), so a long unrolled sequence's activations can be
        // reclaimed while backward is still going instead of all at the end.
        bool savedRetaining = GradMode.RetainingGraph;
        GradMode.RetainingGraph = retainGraph;
        try
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var node = order[i];
                if (node.HasOutputGrad)   // else no gradient reached this branch
                {
                    node.Backward!();
                    if (GradMode.DetectAnomaly)
                        foreach (var input in node.Inputs)
                            if (input.Grad is not null) CheckFinite(input.Grad, $"{node.Op}: backward produced", node.Inputs);
                }
                if (!retainGraph) node.Free();
            }
        }
        finally { GradMode.RetainingGraph = savedRetaining; }
    }

    // Iterative depth-first search (no recursion: unrolled sequences are long chains).
    private List<Node> TopologicalOrder()
    {
        var order = new List<Node>();
        if (GradFn is null) return order;
        var visited = new HashSet<Node> { GradFn };
        var stack = new Stack<(Node Node, int Next)>();
        stack.Push((GradFn, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (node.Freed) throw FreedError(node);
            if (next < node.Inputs.Length)
            {
                stack.Push((node, next + 1));
                var child = node.Inputs[next].GradFn;
                if (child is not null && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(node);   // all inputs done: post-order
        }
        return order;
    }

    /// <summary>The leaves (tensors with RequiresGrad and no op behind them) that a Backward() from here would reach.</summary>
    internal List<Tensor> Leaves()
    {
        var leaves = new List<Tensor>();
        if (GradFn is null) { if (RequiresGrad) leaves.Add(this); return leaves; }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var node in TopologicalOrder())
            foreach (var input in node.Inputs)
                if (input.GradFn is null && input.RequiresGrad && seen.Add(input)) leaves.Add(input);
        return leaves;
    }

    private static RnnLabException FreedError(Node node) => new(
        $"Backward: the graph through '{node.Op}' was already freed by an earlier Backward(). " +
        "Detach() any state you carry from one backward to the next (as truncated BPTT does), " +
        "or call the first Backward(retainGraph: true) if you really need to go through it twice.");

    internal static void CheckFinite(double[] values, string what, Tensor[] inputs)
    {
        foreach (double v in values)
        {
            if (double.IsFinite(v)) continue;
            string shapes = string.Join(", ", inputs.Select(t => ShapeString(t.Shape) + (t.Name is null ? "" : $" '{t.Name}'")));
            throw new RnnLabException($"{what} {(double.IsNaN(v) ? "NaN" : "Inf")} (anomaly detection; inputs {shapes})");
        }
    }
}
