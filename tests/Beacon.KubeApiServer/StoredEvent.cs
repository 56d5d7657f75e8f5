using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>One write in the server's history: ADDED, MODIFIED or DELETED, with the object before it (if any).</summary>
public sealed record StoredEvent(long Version, ApiResourceInfo Resource, string Type, JsonObject Object, JsonObject? Previous)
{
    private WatchLine? _line;

    /// <summary>The watch line for this event as one of its types; lines of the event's own type are shared by all watchers.</summary>
    public WatchLine Line(string type) => type == Type ? _line ??= new WatchLine(type, Object) : new WatchLine(type, Object);
}
