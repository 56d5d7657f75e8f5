using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>One write in the server's history: ADDED, MODIFIED or DELETED, with the object before it (if any).</summary>
public sealed record StoredEvent(long Version, ApiResourceInfo Resource, string Type, JsonObject Object, JsonObject? Previous);
