using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// One line to send on a watch stream. The bytes are made once per line and shared by every watch that sends the
/// same event (<see cref="StoredEvent.Line"/>), so fan-out to many watchers costs one serialization.
/// </summary>
public sealed class WatchLine(string type, JsonObject item)
{
    private byte[]? _bytes;

    public string Type { get; } = type;

    public JsonObject Object { get; } = item;

    /// <summary>{"type":…,"object":…}\n as UTF-8; stored objects are never mutated, so this is safe to cache.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes ??= Serialize();

    private byte[] Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            writer.WritePropertyName("object");
            Object.WriteTo(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
