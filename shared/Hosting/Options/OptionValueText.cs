using System.Globalization;

namespace Beacon.Hosting.Options;

/// <summary>Reads option values from text and writes them back as an operator would type them.</summary>
public static class OptionValueText
{
    public static bool IsSupportedLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double)
            || t == typeof(TimeSpan) || t.IsEnum || IsList(type);
    }

    /// <summary>Lists are string arrays or lists; they come from comma-separated text or indexed appsettings entries.</summary>
    public static bool IsList(Type type) =>
        type == typeof(string[]) || type == typeof(List<string>) || type == typeof(IReadOnlyList<string>) || type == typeof(IList<string>);

    /// <summary>Parses <paramref name="text"/> as <paramref name="type"/>; on failure says what was expected.</summary>
    public static bool TryParse(string text, Type type, out object? value, out string expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(type);
        value = null;
        expected = Describe(type);
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var s = text.Trim();
        if (IsList(type))
        {
            var items = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            value = type == typeof(string[]) ? items : items.ToList();
            return true;
        }
        if (t == typeof(string))
        {
            value = text;
            return true;
        }
        if (Nullable.GetUnderlyingType(type) is not null && s.Length == 0)
            return true;
        if (t == typeof(bool))
        {
            if (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s == "1")
                value = true;
            else if (s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s == "0")
                value = false;
            return value is not null;
        }
        if (t == typeof(int))
        {
            var ok = int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i);
            value = i;
            return ok;
        }
        if (t == typeof(long))
        {
            var ok = long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l);
            value = l;
            return ok;
        }
        if (t == typeof(double))
        {
            var ok = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);
            value = d;
            return ok;
        }
        if (t == typeof(TimeSpan))
        {
            var ok = DurationText.TryParse(s, out var ts);
            value = ts;
            return ok;
        }
        if (t.IsEnum)
        {
            var normalized = s.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
            var name = Enum.GetNames(t).FirstOrDefault(n => n.Equals(normalized, StringComparison.OrdinalIgnoreCase));
            if (name is null)
                return false;
            value = Enum.Parse(t, name);
            return true;
        }
        throw new NotSupportedException($"Option type {type} is not supported.");
    }

    /// <summary>What an operator may type, e.g. "duration (100ms, 5s, 1m)" or "l2|bird|frr|gobgp".</summary>
    public static string Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (IsList(type))
            return "list (comma-separated)";
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return "text";
        if (t == typeof(bool)) return "true|false";
        if (t == typeof(int) || t == typeof(long)) return "integer";
        if (t == typeof(double)) return "number";
        if (t == typeof(TimeSpan)) return "duration (e.g. 100ms, 5s, 1m)";
        if (t.IsEnum) return string.Join('|', Enum.GetNames(t).Select(n => n.ToLowerInvariant()));
        return t.Name;
    }

    /// <summary>A value as the operator would type it back; "(none)" for empty and "(not set)" for null.</summary>
    public static string Format(object? value) => value switch
    {
        null => "(not set)",
        string s when s.Length == 0 => "(none)",
        string s => s,
        bool b => b ? "true" : "false",
        TimeSpan ts => DurationText.Format(ts),
        Enum e => e.ToString().ToLowerInvariant(),
        IEnumerable<string> list => list.Any() ? string.Join(',', list) : "(none)",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
