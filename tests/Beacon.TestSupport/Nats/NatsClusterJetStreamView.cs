using System.Text.Json.Nodes;

namespace Beacon.TestSupport.Nats;

/// <summary>
/// What one server's <c>/jsz?streams=true</c> says about the JetStream cluster: the meta leader and, for each stream
/// it holds a replica of, the stream's leader and which replicas are current.
/// </summary>
public sealed record NatsClusterJetStreamView(string Server, string? MetaLeader, IReadOnlyDictionary<string, NatsClusterStreamView> Streams)
{
    public static NatsClusterJetStreamView Parse(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new FormatException("/jsz returned null");
        var streams = new Dictionary<string, NatsClusterStreamView>(StringComparer.Ordinal);
        foreach (var account in root["account_details"]?.AsArray() ?? [])
        {
            foreach (var stream in account?["stream_detail"]?.AsArray() ?? [])
            {
                var name = stream?["name"]?.GetValue<string>();
                if (name is null)
                {
                    continue;
                }

                var cluster = stream!["cluster"];
                var replicas = (cluster?["replicas"]?.AsArray() ?? [])
                    .Where(r => r is not null)
                    .ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["current"]?.GetValue<bool>() ?? false, StringComparer.Ordinal);
                streams[name] = new NatsClusterStreamView(
                    name,
                    NonEmpty(cluster?["leader"]?.GetValue<string>()),
                    replicas,
                    stream["state"]?["messages"]?.GetValue<ulong>() ?? 0);
            }
        }

        return new NatsClusterJetStreamView(
            root["server_name"]?.GetValue<string>() ?? root["server_id"]?.GetValue<string>() ?? "?",
            NonEmpty(root["meta_cluster"]?["leader"]?.GetValue<string>()),
            streams);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>One stream as a server sees it: leader, the other replicas (name → caught up), message count.</summary>
public sealed record NatsClusterStreamView(string Name, string? Leader, IReadOnlyDictionary<string, bool> Followers, ulong Messages);
