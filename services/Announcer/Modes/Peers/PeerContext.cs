namespace Beacon.Announcer.Modes.Peers;

/// <summary>What a node needs to decide which resource peers and advertisements apply to it: its labels and its passwords.</summary>
public sealed record PeerContext(IReadOnlyDictionary<string, string> NodeLabels, IPeerPasswords Passwords)
{
    /// <summary>No labels (only selector-less peers and advertisements apply) and passwords from the default directory.</summary>
    public static PeerContext Default { get; } = new(new Dictionary<string, string>(), new PeerPasswordFiles(DefaultPasswordDirectory));

    public const string DefaultPasswordDirectory = "/etc/beacon/bgp-secrets";
}
