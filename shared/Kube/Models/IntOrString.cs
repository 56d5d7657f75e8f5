using System.Globalization;
using System.Text.Json.Serialization;
using Beacon.Kube.Json;

namespace Beacon.Kube.Models;

/// <summary>A value that is either a number or a name (e.g. a targetPort).</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    public IntOrString(int value)
    {
        IntValue = value;
    }

    public IntOrString(string value)
    {
        StringValue = value;
    }

    public int? IntValue { get; }

    public string? StringValue { get; }

    public override string ToString() => StringValue ?? IntValue?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
