namespace RnnLab.Autodiff;

/// <summary>
/// One recorded op: its name, its inputs, its output, and a closure that reads ∂L/∂output
/// and adds (+=) the gradients of its inputs. The chain of nodes behind a tensor is the tape.
/// </summary>
internal sealed class Node(string op, Tensor output, Tensor[] inputs, Action backward)
{
    public string Op { get; } = op;
    public Tensor Output { get; } = output;
    public Tensor[] Inputs { get; private set; } = inputs;
    public Action? Backward { get; private set; } = backward;
    public bool Freed => Backward is null;

    /// <summary>Drops the closure and the inputs so their memory can be reclaimed.</summary>
    public void Free()
    {
        Backward = null;
        Inputs = [];
    }

    public string Describe() => $"{Op} (inputs {string.Join(", ", Inputs.Select(t => Tensor.ShapeString(t.Shape)))})";
}
