using System.Globalization;
using System.Text.Json.Serialization.Metadata;

namespace Beacon.Contracts;

/// <summary>
/// A CloudEvents <c>type</c> and the payload it carries. The wire name is <c>&lt;Name&gt;.v&lt;Major&gt;</c>; a message with
/// the same name and another major version is rejected, while new fields within a major version are ignored.
/// </summary>
public sealed class EventType<T>
{
    public EventType(string name, int major, JsonTypeInfo<T> typeInfo)
    {
        Name = name;
        Major = major;
        TypeInfo = typeInfo;
        WireName = string.Create(CultureInfo.InvariantCulture, $"{name}.v{major}");
    }

    /// <summary>Reverse-DNS name without version, e.g. <c>io.beacon.allocation.changed</c>.</summary>
    public string Name { get; }

    public int Major { get; }

    /// <summary>The CloudEvents <c>type</c> attribute value, e.g. <c>io.beacon.allocation.changed.v1</c>.</summary>
    public string WireName { get; }

    public JsonTypeInfo<T> TypeInfo { get; }

    public override string ToString() => WireName;
}
