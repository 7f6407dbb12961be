using System.Text;

namespace RnnLab.Data;

/// <summary>Reads dataset text files strictly: UTF-8 only, and an empty file is an error, not an empty dataset.</summary>
public static class TextFiles
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The whole file as a string (a UTF-8 byte-order mark is dropped). Throws <see cref="RnnLabException"/>
    /// when the file is missing, empty, or not valid UTF-8 (naming the byte offset and line).
    /// </summary>
    public static string ReadAllText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new RnnLabException($"{path}: file not found");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            throw new RnnLabException($"{path}: the file is empty (0 bytes); expected UTF-8 text. Replace it with a complete copy.");
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            throw new RnnLabException($"{path}: the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8. Re-save it as UTF-8.");
        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
            throw new RnnLabException($"{path}: line {1 + bytes.AsSpan(0, nul).Count((byte)'\n')} holds a NUL byte (offset {nul}): the file is UTF-16 or binary, " +
                                      "not UTF-8 text. Re-save it as UTF-8.");
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            int offset = start + Math.Max(0, e.Index);
            int line = 1 + bytes.AsSpan(0, Math.Min(offset, bytes.Length)).Count((byte)'\n');
            string bad = e.BytesUnknown is { Length: > 0 } b ? string.Join(" ", b.Select(x => $"0x{x:X2}")) : "?";
            throw new RnnLabException(
                $"{path}: line {line} is not valid UTF-8 (byte {bad} at offset {offset}); the file seems to be in another encoding " +
                "(e.g. Latin-1 or UTF-16). Re-save it as UTF-8.", e);
        }
    }

    /// <summary>The file's lines (without their "\n" or "\r\n"), read as by <see cref="ReadAllText"/>.</summary>
    public static string[] ReadLines(string path)
    {
        string text = ReadAllText(path);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++) lines[i] = lines[i].TrimEnd('\r');
        // A final "\n" ends the last line; it does not start an empty one.
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
