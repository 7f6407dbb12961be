namespace RnnLab.Autodiff;

/// <summary>
/// One recorded op: its name, its inputs, its outputs, and a closure that reads ∂L/∂output
/// and adds (+=) the gradients of its inputs. The chain of nodes behind a tensor is the tape.
/// Most ops have one output; a fused op (an LSTM step: h, c and the gates) shares one node among several.
/// </summary>
internal sealed class Node(string op, Tensor[] outputs, Tensor[] inputs, Action backward, Action? release = null)
{
    public string Op { get; } = op;
    public Tensor[] Outputs { get; private set; } = outputs;
    public Tensor[] Inputs { get; private set; } = inputs;
    public Action? Backward { get; private set; } = backward;
    public bool Freed => Backward is null;

    /// <summary>
    /// Adds outputs made after the forward (a sequence op's step tensors, materialised when a user first reads them), so
    /// that ops on them run before this node and their gradients reach its backward. Not after the node was freed.
    /// </summary>
    public void AddOutputs(Tensor[] outputs) => Outputs = [.. Outputs, .. outputs];

    /// <summary>True when a gradient reached at least one output (otherwise there is nothing to propagate).</summary>
    public bool HasOutputGrad
    {
        get
        {
            foreach (var output in Outputs) if (output.Grad is not null) return true;
            return false;
        }
    }

    /// <summary>Drops the closure, the inputs and the outputs so their memory can be reclaimed, and gives back the node's scratch buffers.</summary>
    public void Free()
    {
        if (Backward is null) return;
        Backward = null;
        Inputs = [];
        Outputs = [];
        release?.Invoke();
    }

    public string Describe() => $"{Op} (inputs {string.Join(", ", Inputs.Select(t => Tensor.ShapeString(t.Shape)))})";
}
