using System.Globalization;

namespace RnnLab.Cli;

/// <summary>
/// A command line split into positional words and <c>--name value</c> / <c>--flag</c> options.
/// Every option must be consumed by the command; anything left over is reported as unknown.
/// </summary>
public sealed class Args
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> words)
    {
        var list = words.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string w = list[i];
            if (w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2)
            {
                string name = w[2..];
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal)) value = list[++i];
                if (!_options.TryAdd(name, value)) throw new UsageException($"option --{name} is given twice");
            }
            else if (w == "-h") _options["help"] = null;
            else _positional.Add(w);
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Help => Flag("help");

    /// <summary>True when the flag is present (a flag takes no value).</summary>
    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value)) return false;
        if (value is not null)
        {
            // "--quick tour" would swallow the next word; give it back as a positional word.
            _positional.Add(value);
            _options[name] = null;
        }
        return true;
    }

    public string? String(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var value)) return null;
        return value ?? throw new UsageException($"option --{name} needs a value");
    }

    public string String(string name, string fallback) => String(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = String(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new UsageException($"option --{name} needs a whole number, got '{s}'");
        if (v < min || v > max)
            throw new UsageException($"option --{name} must be between {min} and {max}, got {v}");
        return v;
    }

    public double Double(string name, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        string? s = String(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UsageException($"option --{name} needs a number, got '{s}'");
        if (v < min || v > max)
            throw new UsageException($"option --{name} must be between {min} and {max}, got {v}");
        return v;
    }

    /// <summary>One of the allowed words (case-insensitive).</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        string v = String(name, fallback).ToLowerInvariant();
        if (!allowed.Contains(v)) throw new UsageException($"option --{name} must be one of {string.Join(", ", allowed)}; got '{v}'");
        return v;
    }

    /// <summary>Throws when an option was given that no one asked for, or positional words beyond <paramref name="maxPositional"/>.</summary>
    public void EnsureAllUsed(int maxPositional)
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(u => "--" + u))}");
        if (_positional.Count > maxPositional)
            throw new UsageException($"unexpected argument{(_positional.Count - maxPositional > 1 ? "s" : "")}: {string.Join(" ", _positional.Skip(maxPositional))}");
    }
}
