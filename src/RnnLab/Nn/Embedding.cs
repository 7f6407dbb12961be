using RnnLab.Autodiff;

namespace RnnLab.Nn;

/// <summary>
/// A lookup table of learned vectors (PyTorch's <c>nn.Embedding</c>): <c>weight</c> [V, D], row v is token v's vector.
/// Initialised N(0, 1) like PyTorch. Looking up is <see cref="Tensor.GatherRows"/>; its gradient adds into the used rows.
/// </summary>
public sealed class Embedding : Module
{
    public int NumEmbeddings { get; }
    public int EmbeddingDim { get; }
    public Tensor Weight { get; }   // [V, D]

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (numEmbeddings < 1 || embeddingDim < 1)
            throw new RnnLabException($"Embedding: sizes must be positive, got {numEmbeddings} tokens of dimension {embeddingDim}");
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        Weight = RegisterParameter("weight", Tensor.Normal(rng, 0, 1, numEmbeddings, embeddingDim));
    }

    /// <summary>Token indices [n] → vectors [n, D].</summary>
    public Tensor Forward(int[] indices) => Tensor.GatherRows(Weight, indices);

    /// <summary>A tensor of token indices [T, B] (whole numbers stored as doubles, as the data batches give them) → [T, B, D].</summary>
    public Tensor Forward(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Rank != 2) throw new RnnLabException($"Embedding: expected indices [T, B], got {Tensor.ShapeString(indices.Shape)}");
        var idx = new int[indices.Size];
        for (int i = 0; i < idx.Length; i++)
        {
            double v = indices.Data[i];
            if (v != Math.Floor(v) || v < 0 || v >= NumEmbeddings)
                throw new RnnLabException($"Embedding: index {v} at position {i} is not a token in 0 … {NumEmbeddings - 1}");
            idx[i] = (int)v;
        }
        return Forward(idx).Reshape(indices.Shape[0], indices.Shape[1], EmbeddingDim);   // [T, B, D]
    }
}
