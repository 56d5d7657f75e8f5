using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>A page of a list: items, the snapshot's resourceVersion, and the token for the next page (if any).</summary>
public sealed record ListPage(IReadOnlyList<JsonObject> Items, long Version, string? Continue, long? Remaining);
