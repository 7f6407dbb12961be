namespace RnnLab;

/// <summary>
/// The one exception type RnnLab throws for bad shapes, bad arguments and bad files.
/// Its message always names the operation and what was wrong, e.g.
/// <c>MatMul: cannot multiply [32, 65] by [128, 512]: inner sizes 65 and 128 differ</c>.
/// </summary>
public sealed class RnnLabException : Exception
{
    public RnnLabException(string message) : base(message) { }
    public RnnLabException(string message, Exception inner) : base(message, inner) { }
}
