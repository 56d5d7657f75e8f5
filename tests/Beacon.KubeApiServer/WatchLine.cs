using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>One line to send on a watch stream.</summary>
public sealed record WatchLine(string Type, JsonObject Object);
