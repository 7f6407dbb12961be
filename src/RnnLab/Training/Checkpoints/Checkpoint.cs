using RnnLab.Nn;

namespace RnnLab.Training;

/// <summary>
/// Saves and restores a whole model as a safetensors file, under PyTorch's parameter names, so a checkpoint
/// written here loads in PyTorch (<c>model.load_state_dict(safetensors.torch.load_file(path))</c>) and back.
/// The metadata block carries what is needed to rebuild the model: its kind, sizes, vocabulary (as JSON text).
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes every parameter of <paramref name="model"/> atomically (temporary file, then rename).</summary>
    public static void Save(string path, Module model, IReadOnlyDictionary<string, string>? metadata = null,
                            SafetensorsDType dtype = SafetensorsDType.F64)
    {
        ArgumentNullException.ThrowIfNull(model);
        Safetensors.Save(path, model.StateDict(), metadata, dtype);
    }

    /// <summary>
    /// Reads the file, checks that its names and shapes match <paramref name="model"/> exactly, copies the values in,
    /// and returns the metadata. Nothing in the model changes unless the whole file fits.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Load(string path, Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var content = Safetensors.Load(path);
        try
        {
            model.LoadStateDict(content.Tensors);
        }
        catch (RnnLabException e)
        {
            throw new RnnLabException($"Checkpoint '{path}': {e.Message}", e);
        }
        return content.Metadata;
    }

    /// <summary>Reads only the metadata and tensors (to decide what model to build before loading into it).</summary>
    public static SafetensorsContent Read(string path) => Safetensors.Load(path);
}
