using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using RnnLab.Autodiff;

namespace RnnLab.Training;

/// <summary>How values are stored in a safetensors file: F64 keeps every bit, F32 halves the size.</summary>
public enum SafetensorsDType { F64, F32 }

/// <summary>What a safetensors file holds: named tensors and the string→string <c>__metadata__</c> block.</summary>
public sealed record SafetensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// The safetensors format, the PyTorch ecosystem's safe checkpoint file (huggingface/safetensors):
/// <code>
/// [8 bytes]  N, the header length, unsigned little-endian
/// [N bytes]  JSON header: {"__metadata__":{"k":"v"},"name":{"dtype":"F64","shape":[2,3],"data_offsets":[0,48]},...}
///            padded with spaces so the data starts at a multiple of 8
/// [rest]     the data section: each tensor's values, row-major, little-endian, at its [begin, end) offsets
/// </code>
/// Writing lays the file out byte for byte as the Rust library does (tensors sorted by name, packed in that order)
/// and is atomic. Reading trusts nothing: every length, offset, dtype and shape is checked against the file
/// before any memory is allocated for it, and every problem is an <see cref="RnnLabException"/>.
/// </summary>
public static class Safetensors
{
    /// <summary>The largest header accepted (the Rust library's limit too).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    // ---- writing ----------------------------------------------------------------------------

    /// <summary>
    /// Saves the tensors atomically: the file is written to a temporary name beside <paramref name="path"/>,
    /// flushed to disk, then renamed over it, so a crash mid-save never leaves a half-written checkpoint.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
                            IReadOnlyDictionary<string, string>? metadata = null, SafetensorsDType dtype = SafetensorsDType.F64)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Serialize(tensors, metadata, dtype);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new RnnLabException($"Safetensors.Save: the folder '{dir}' does not exist");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new RnnLabException($"Safetensors.Save: could not write '{full}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The bytes of a safetensors file holding <paramref name="tensors"/>.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors,
                                   IReadOnlyDictionary<string, string>? metadata = null, SafetensorsDType dtype = SafetensorsDType.F64)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        int elementSize = dtype == SafetensorsDType.F64 ? 8 : 4;
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        // Header JSON, compact, keys in the order the Rust library writes them.
        var header = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            header.Append('"').Append(MetadataKey).Append("\":{");
            bool first = true;
            foreach (var key in metadata.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                if (!first) header.Append(',');
                first = false;
                AppendJsonString(header, key).Append(':');
                AppendJsonString(header, metadata[key] ?? throw new RnnLabException($"Safetensors: metadata '{key}' is null"));
            }
            header.Append('}');
            if (names.Count > 0) header.Append(',');
        }
        long offset = 0;
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (name == MetadataKey) throw new RnnLabException($"Safetensors: '{MetadataKey}' is reserved and cannot name a tensor");
            var t = tensors[name] ?? throw new RnnLabException($"Safetensors: tensor '{name}' is null");
            long bytes = (long)t.Size * elementSize;
            if (i > 0) header.Append(',');
            AppendJsonString(header, name)
                .Append(":{\"dtype\":\"").Append(dtype).Append("\",\"shape\":[")
                .Append(string.Join(',', t.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))))
                .Append(CultureInfo.InvariantCulture, $"],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }
        header.Append('}');

        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        int padded = (json.Length + 7) / 8 * 8;            // spaces up to a multiple of 8, as the Rust library pads
        long total = 8 + padded + offset;
        if (total > Array.MaxLength) throw new RnnLabException($"Safetensors: {total} bytes is too large for one file write");
        var file = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        int pos = 8 + padded;
        foreach (var name in names)
            foreach (double v in tensors[name].Data)
            {
                if (dtype == SafetensorsDType.F64) BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(pos), v);
                else BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(pos), (float)v);
                pos += elementSize;
            }
        return file;
    }

    // JSON string escaping as serde_json writes it: only ", \ and control characters are escaped.
    private static StringBuilder AppendJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"');
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // ---- reading ----------------------------------------------------------------------------

    /// <summary>Reads and validates a safetensors file.</summary>
    public static SafetensorsContent Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RnnLabException($"Safetensors: cannot open '{path}': {e.Message}", e);
        }
        using (fs) return Read(fs, path);
    }

    /// <summary>Reads and validates safetensors bytes held in memory.</summary>
    public static SafetensorsContent Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var ms = new MemoryStream(bytes, writable: false);
        return Read(ms, "the bytes");
    }

    /// <summary>Reads and validates a safetensors file from a seekable stream (the whole stream is the file).</summary>
    public static SafetensorsContent Read(Stream stream, string source = "the stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek) throw new RnnLabException("Safetensors: the stream must be seekable (its length bounds every check)");
        string where = $"Safetensors ({source})";
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new RnnLabException($"{where}: the file is {fileLength} bytes, too short to hold the 8-byte header length; it is truncated or not a safetensors file");

        stream.Position = 0;
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, where);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw new RnnLabException($"{where}: the header claims {headerLength} bytes, more than the {MaxHeaderBytes} allowed; the file is corrupt or not a safetensors file");
        if ((long)headerLength > fileLength - 8)
            throw new RnnLabException($"{where}: the header claims {headerLength} bytes but only {fileLength - 8} follow the length prefix; the file is truncated");
        if (headerLength < 2)
            throw new RnnLabException($"{where}: the header is {headerLength} bytes, too short for a JSON object");

        var header = new byte[headerLength];
        ReadExactly(stream, header, where);
        long dataLength = fileLength - 8 - (long)headerLength;
        var entries = ParseHeader(header, dataLength, where, out var metadata);

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long dataStart = 8 + (long)headerLength;
        foreach (var e in entries)
        {
            var raw = new byte[e.End - e.Begin];   // bounded: the offsets were checked against the file length
            stream.Position = dataStart + e.Begin;
            ReadExactly(stream, raw, where);
            var values = new double[e.Count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = e.DType == SafetensorsDType.F64
                    ? BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8))
                    : BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
                if (!double.IsFinite(values[i]))
                    throw new RnnLabException($"{where}: tensor '{e.Name}' holds {(double.IsNaN(values[i]) ? "NaN" : "Inf")} at element {i}; " +
                                              "the checkpoint was saved from a diverged model or is corrupt");
            }
            tensors.Add(e.Name, new Tensor(values, e.Shape));
        }
        return new SafetensorsContent(tensors, metadata);
    }

    private sealed record Entry(string Name, SafetensorsDType DType, int[] Shape, int Count, long Begin, long End);

    private static List<Entry> ParseHeader(byte[] header, long dataLength, string where, out Dictionary<string, string> metadata)
    {
        if (header[0] != (byte)'{')
            throw new RnnLabException($"{where}: the header does not start with '{{'; the file is corrupt or not a safetensors file");
        if (!Utf8.IsValid(header))
            throw new RnnLabException($"{where}: the header is not valid UTF-8 text; the file is corrupt or not a safetensors file");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 4 }); }
        catch (JsonException e)
        {
            throw new RnnLabException($"{where}: the header is not well-formed JSON ({e.Message})", e);
        }
        using (doc)
        try
        {
            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new RnnLabException($"{where}: the header must be a JSON object");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw new RnnLabException($"{where}: the header names '{prop.Name}' twice");
                if (prop.Name == MetadataKey) ReadMetadata(prop.Value, metadata, where);
                else entries.Add(ReadEntry(prop.Name, prop.Value, where));
            }
            // The data section must be exactly the tensors, packed back to back: in bounds, no overlap, no gap.
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            foreach (var e in entries)
            {
                if (e.Begin != expected)
                    throw new RnnLabException($"{where}: tensor '{e.Name}' starts at data offset {e.Begin} but the previous tensor ends at {expected}; " +
                                              "offsets overlap or leave a gap, so the header is corrupt");
                if (e.End > dataLength)
                    throw new RnnLabException($"{where}: tensor '{e.Name}' ends at data offset {e.End} but the data section holds only {dataLength} bytes; the file is truncated");
                expected = e.End;
            }
            if (expected != dataLength)
                throw new RnnLabException($"{where}: the tensors cover {expected} bytes but the data section holds {dataLength}; the file is corrupt");
            return entries;
        }
        catch (InvalidOperationException e)   // a string System.Text.Json cannot decode (e.g. an escaped lone surrogate)
        {
            throw new RnnLabException($"{where}: the header holds a string that is not valid text ({e.Message})", e);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new RnnLabException($"{where}: '{MetadataKey}' must be an object of strings");
        foreach (var kv in value.EnumerateObject())
        {
            if (kv.Value.ValueKind != JsonValueKind.String)
                throw new RnnLabException($"{where}: metadata '{kv.Name}' must be a string, got {kv.Value.ValueKind}");
            if (!metadata.TryAdd(kv.Name, kv.Value.GetString()!))
                throw new RnnLabException($"{where}: metadata names '{kv.Name}' twice");
        }
    }

    private static Entry ReadEntry(string name, JsonElement value, string where)
    {
        string what = $"{where}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object) throw new RnnLabException($"{what} must be described by an object");
        JsonElement? dtypeEl = null, shapeEl = null, offsetsEl = null;
        foreach (var f in value.EnumerateObject())
        {
            switch (f.Name)
            {
                case "dtype" when dtypeEl is null: dtypeEl = f.Value; break;
                case "shape" when shapeEl is null: shapeEl = f.Value; break;
                case "data_offsets" when offsetsEl is null: offsetsEl = f.Value; break;
                default: throw new RnnLabException($"{what} has an unexpected or repeated field '{f.Name}'");
            }
        }
        if (dtypeEl is null || shapeEl is null || offsetsEl is null)
            throw new RnnLabException($"{what} needs the fields dtype, shape and data_offsets");

        string dtypeName = dtypeEl.Value.ValueKind == JsonValueKind.String ? dtypeEl.Value.GetString()! : dtypeEl.Value.ToString();
        SafetensorsDType dtype = dtypeName switch
        {
            "F64" => SafetensorsDType.F64,
            "F32" => SafetensorsDType.F32,
            _ => throw new RnnLabException($"{what} has dtype '{dtypeName}'; RnnLab reads F64 and F32 (convert with tensor.double() or .float() before saving)"),
        };

        if (shapeEl.Value.ValueKind != JsonValueKind.Array) throw new RnnLabException($"{what}: shape must be an array of sizes");
        int rank = shapeEl.Value.GetArrayLength();
        if (rank > Tensor.MaxRank) throw new RnnLabException($"{what} has rank {rank}; RnnLab tensors have rank 0 to {Tensor.MaxRank}");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            var el = shapeEl.Value[d];
            if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt32(out shape[d]) || shape[d] < 0)
                throw new RnnLabException($"{what}: shape entry {el} is not a size (a non-negative integer)");
            count *= shape[d];   // at most 4 factors below 2³¹ each, but stop as soon as it exceeds an array
            if (count > Array.MaxLength) throw new RnnLabException($"{what}: shape [{string.Join(", ", shape.Take(d + 1))}...] has too many elements");
        }

        if (offsetsEl.Value.ValueKind != JsonValueKind.Array || offsetsEl.Value.GetArrayLength() != 2)
            throw new RnnLabException($"{what}: data_offsets must be [begin, end]");
        if (!offsetsEl.Value[0].TryGetInt64(out long begin) || !offsetsEl.Value[1].TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new RnnLabException($"{what}: data_offsets {offsetsEl.Value} must be two integers with 0 ≤ begin ≤ end");
        long bytes = count * (dtype == SafetensorsDType.F64 ? 8 : 4);
        if (end - begin != bytes)
            throw new RnnLabException($"{what}: shape {Tensor.ShapeString(shape)} of {dtypeName} needs {bytes} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, dtype, shape, (int)count, begin, end);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string where)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException e) { throw new RnnLabException($"{where}: the file ended early; it is truncated", e); }
        catch (IOException e) { throw new RnnLabException($"{where}: could not read: {e.Message}", e); }
    }
}
