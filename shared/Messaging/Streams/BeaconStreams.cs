using NATS.Client.JetStream.Models;

namespace Beacon.Messaging.Streams;

/// <summary>
/// The JetStream streams that hold state which must outlive any one process: each keeps only the last message per
/// subject, so reading it from the start with "last per subject" yields the current state, while core subscribers on
/// the same subjects see every change live exactly as before.
/// </summary>
public static class BeaconStreams
{
    public const string Allocations = "BEACON_ALLOCATIONS";
    public const string Announcements = "BEACON_ANNOUNCEMENTS";
    public const string Nodes = "BEACON_NODES";
    public const string BgpPeers = "BEACON_BGP_PEERS";
    public const string NodeAgentConfig = "BEACON_NODEAGENT_CONFIG";

    public const string AllocationsSubjects = "beacon.v1.allocations.>";
    public const string AnnouncementsSubjects = "beacon.v1.announcements.*";
    public const string NodesSubjects = "beacon.v1.nodes.*.status";
    public const string BgpPeersSubjects = "beacon.v1.bgp.peers";
    public const string NodeAgentConfigSubjects = "beacon.v1.nodeagent.config";

    /// <summary>The subjects stream <paramref name="stream"/> holds; null for a stream that is not Beacon's.</summary>
    public static string? SubjectsOf(string stream) => stream switch
    {
        Allocations => AllocationsSubjects,
        Announcements => AnnouncementsSubjects,
        Nodes => NodesSubjects,
        BgpPeers => BgpPeersSubjects,
        NodeAgentConfig => NodeAgentConfigSubjects,
        _ => null,
    };

    /// <summary>The streams' configurations for one deployment's replicas and storage.</summary>
    public static IReadOnlyList<StreamConfig> Configs(JetStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [Config(Allocations, AllocationsSubjects, options), Config(Announcements, AnnouncementsSubjects, options), Config(Nodes, NodesSubjects, options), Config(BgpPeers, BgpPeersSubjects, options), Config(NodeAgentConfig, NodeAgentConfigSubjects, options)];
    }

    private static StreamConfig Config(string name, string subjects, JetStreamOptions options) => new(name, [subjects])
    {
        Description = "Beacon state: last value per subject (see docs/events.md)",
        Retention = StreamConfigRetention.Limits,
        MaxMsgsPerSubject = 1,
        Discard = StreamConfigDiscard.Old,
        Storage = options.Storage,
        NumReplicas = options.Replicas,
        AllowDirect = true,
        MaxMsgSize = options.MaxMessageBytes,
    };
}
