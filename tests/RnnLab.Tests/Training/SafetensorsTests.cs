using System.Buffers.Binary;
using System.Text;
using RnnLab.Autodiff;
using RnnLab.Nn;
using RnnLab.Training;

namespace RnnLab.Tests.Training;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, Tensor> Sample() => new()
    {
        ["weight_ih_l0"] = Tensor.FromArray([0.1, -0.2, 0.3, 1e-300, -4.5, 6.25], 3, 2),
        ["bias"] = Tensor.FromArray([1.0, -1.0, 0.5]),
        ["scalar"] = Tensor.Scalar(Math.PI),
    };

    private static readonly Dictionary<string, string> Meta = new() { ["kind"] = "lstm", ["vocab"] = "[\"a\",\"\\\"\"]" };

    [Fact]
    public void Round_trip_keeps_every_bit_names_shapes_and_metadata()
    {
        string path = Path.Combine(_dir, "m.safetensors");
        Safetensors.Save(path, Sample(), Meta);
        var back = Safetensors.Load(path);
        Assert.Equal(Meta, back.Metadata);
        foreach (var (name, t) in Sample())
        {
            Assert.Equal(t.Shape, back.Tensors[name].Shape);
            Assert.Equal(t.Data, back.Tensors[name].Data);
        }
        Assert.Equal(["m.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName));   // no temp file left
    }

    [Fact]
    public void F32_files_are_converted_to_double()
    {
        var bytes = Safetensors.Serialize(Sample(), dtype: SafetensorsDType.F32);
        var back = Safetensors.Read(bytes);
        var w = back.Tensors["weight_ih_l0"];
        for (int i = 0; i < w.Size; i++) Assert.Equal((double)(float)Sample()["weight_ih_l0"].Data[i], w.Data[i]);
    }

    // The layout PyTorch's safetensors.torch.save_file produces (Rust library): u64 LE header length, compact JSON
    // with __metadata__ first and tensors sorted by name, packed in that order, header padded with spaces to 8 bytes.
    private static byte[] HandBuiltFile()
    {
        string json = "{\"__metadata__\":{\"kind\":\"rnn\"}," +
                      "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
                      "\"b.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[16,24]}}";
        var header = Encoding.UTF8.GetBytes(json).ToList();
        while (header.Count % 8 != 0) header.Add((byte)' ');
        var file = new List<byte>();
        file.AddRange(BitConverter.GetBytes((ulong)header.Count));   // little-endian on every .NET platform we run on
        file.AddRange(header);
        file.AddRange(BitConverter.GetBytes(1.5));
        file.AddRange(BitConverter.GetBytes(-2.25));
        file.AddRange(BitConverter.GetBytes(0.5f));
        file.AddRange(BitConverter.GetBytes(3.0f));
        return [.. file];
    }

    [Fact]
    public void Reads_a_file_laid_out_byte_for_byte_as_PyTorch_writes_it()
    {
        var back = Safetensors.Read(HandBuiltFile());
        Assert.Equal("rnn", back.Metadata["kind"]);
        Assert.Equal([1.5, -2.25], back.Tensors["a"].Data);
        Assert.Equal([2], back.Tensors["a"].Shape);
        Assert.Equal([0.5, 3.0], back.Tensors["b.weight"].Data);
        Assert.Equal([1, 2], back.Tensors["b.weight"].Shape);
    }

    [Fact]
    public void Writes_the_same_bytes_as_the_reference_layout()
    {
        string json = "{\"__metadata__\":{\"kind\":\"rnn\"}," +
                      "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
                      "\"b.weight\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[16,32]}}";
        var header = Encoding.UTF8.GetBytes(json).ToList();
        while (header.Count % 8 != 0) header.Add((byte)' ');
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)header.Count));
        expected.AddRange(header);
        foreach (double v in new[] { 1.5, -2.25, 0.5, 3.0 }) expected.AddRange(BitConverter.GetBytes(v));

        var tensors = new Dictionary<string, Tensor>   // inserted out of order: the writer sorts by name
        {
            ["b.weight"] = Tensor.FromArray([0.5, 3.0], 1, 2),
            ["a"] = Tensor.FromArray([1.5, -2.25]),
        };
        Assert.Equal(expected.ToArray(), Safetensors.Serialize(tensors, new Dictionary<string, string> { ["kind"] = "rnn" }));
    }

    public static TheoryData<string, string> HostileHeaders => new()
    {
        { "not json", "{\"a\":" },
        { "not an object", "[1,2]" },
        { "F16", "{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}" },
        { "negative size", "{\"a\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}" },
        { "fractional size", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,8]}}" },
        { "rank 5", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1,1,1,1,1],\"data_offsets\":[0,8]}}" },
        { "huge shape", "{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}" },
        { "size mismatch", "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}" },
        { "offset past end", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}" },
        { "overlap", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}" },
        { "end before begin", "{\"a\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[8,0]}}" },
        { "huge offsets", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[18446744073709551608,18446744073709551616]}}" },
        { "duplicate name", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}" },
        { "missing field", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1]}}" },
        { "metadata not strings", "{\"__metadata__\":{\"n\":3},\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}" },
        { "deep nesting", "{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}" },
        { "gap at end", "{\"a\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]}}" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void Hostile_headers_are_rejected_with_a_clear_message(string what, string json)
    {
        // One 8-byte data section (holding 1.0) after the header.
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(8 + header.Length), 1.0);
        var ex = Assert.Throws<RnnLabException>(() => Safetensors.Read(file));
        Assert.StartsWith("Safetensors", ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(what));
    }

    [Fact]
    public void NaN_values_are_rejected_naming_the_tensor()
    {
        var bytes = Safetensors.Serialize(new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1.0, double.NaN]) });
        Assert.Contains("'w' holds NaN", Assert.Throws<RnnLabException>(() => Safetensors.Read(bytes)).Message);
    }

    private static void AssertRejectedCheaply(byte[] file, bool mayStillBeValid = false)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var content = Safetensors.Read(file);
            Assert.True(mayStillBeValid, "a damaged file was accepted");
            foreach (var t in content.Tensors.Values) Assert.Equal(t.Size, t.Shape.Aggregate(1, (a, b) => a * b));
        }
        catch (RnnLabException) { }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1_000_000 + 20L * file.Length, $"reading a {file.Length}-byte file allocated {allocated} bytes");
    }

    [Fact]
    public void Fuzz_truncations_absurd_lengths_and_bit_flips_end_in_RnnLabException()
    {
        var good = Safetensors.Serialize(Sample(), Meta);
        var rng = new Rng(2024);

        // Every truncation (the data section must be exactly the tensors, so every one is detectable).
        for (int len = 0; len < good.Length; len++) AssertRejectedCheaply(good[..len]);

        // Absurd or wrong header lengths.
        ulong original = BinaryPrimitives.ReadUInt64LittleEndian(good);
        var lengths = new List<ulong> { 0, 1, ulong.MaxValue, 1UL << 63, (ulong)Safetensors.MaxHeaderBytes + 1, (ulong)good.Length, (ulong)good.Length - 7 };
        for (int i = 0; i < 200; i++) lengths.Add(rng.NextUInt64() >> rng.NextInt(64));
        foreach (ulong n in lengths.Where(n => n != original))
        {
            var bad = (byte[])good.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(bad, n);
            AssertRejectedCheaply(bad);
        }

        // Random bit flips anywhere. A flip in the data section, or one that turns a name into another valid name,
        // leaves a well-formed file; everything else must be rejected, and nothing may crash or allocate wildly.
        int headerEnd = 8 + (int)original, rejected = 0, flipsInStructure = 0;
        for (int i = 0; i < 3000; i++)
        {
            var bad = (byte[])good.Clone();
            int flips = 1 + rng.NextInt(3);
            bool structural = false;
            for (int f = 0; f < flips; f++)
            {
                int pos = rng.NextInt(bad.Length);
                bad[pos] ^= (byte)(1 << rng.NextInt(8));
                structural |= pos < headerEnd;
            }
            try { Safetensors.Read(bad); }
            catch (RnnLabException) { if (structural) rejected++; }
            if (structural) flipsInStructure++;
            AssertRejectedCheaply(bad, mayStillBeValid: true);
        }
        Assert.True(rejected > flipsInStructure * 0.6, $"only {rejected} of {flipsInStructure} damaged headers were rejected");

        // Random garbage.
        for (int i = 0; i < 300; i++)
        {
            var junk = new byte[rng.NextInt(200)];
            for (int j = 0; j < junk.Length; j++) junk[j] = (byte)rng.NextInt(256);
            if (junk.Length >= 8 && rng.NextInt(2) == 0) BinaryPrimitives.WriteUInt64LittleEndian(junk, (ulong)rng.NextInt(junk.Length - 7));
            AssertRejectedCheaply(junk);
        }
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_untouched()
    {
        string path = Path.Combine(_dir, "keep.safetensors");
        Safetensors.Save(path, Sample());
        var before = File.ReadAllBytes(path);
        var broken = new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Scalar(1) };
        Assert.Throws<RnnLabException>(() => Safetensors.Save(path, broken));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
        Assert.Contains("does not exist", Assert.Throws<RnnLabException>(() =>
            Safetensors.Save(Path.Combine(_dir, "no", "such", "dir.safetensors"), Sample())).Message);
    }

    [Fact]
    public void Checkpoint_round_trips_a_module_and_rejects_a_model_of_another_size()
    {
        string path = Path.Combine(_dir, "linear.safetensors");
        var model = new Linear(3, 2, new Rng(1));
        Checkpoint.Save(path, model, new Dictionary<string, string> { ["kind"] = "linear" });
        var other = new Linear(3, 2, new Rng(2));
        Assert.Equal("linear", Checkpoint.Load(path, other)["kind"]);
        Assert.Equal(model.Weight.Data, other.Weight.Data);
        Assert.Equal(model.Bias!.Data, other.Bias!.Data);

        var wrong = new Linear(4, 2, new Rng(3));
        var snapshot = wrong.Weight.ToArray();
        var ex = Assert.Throws<RnnLabException>(() => Checkpoint.Load(path, wrong));
        Assert.Contains("'weight' has shape [2, 3] in the state but [2, 4] in the model", ex.Message);
        Assert.Equal(snapshot, wrong.Weight.Data);   // untouched
    }
}
