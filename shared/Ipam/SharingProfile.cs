namespace Beacon.Ipam;

/// <summary>
/// The parts of a Service that decide whether it may share an address with another: sharing key, ports
/// (number + protocol), external traffic policy and pod selector.
/// </summary>
internal sealed class SharingProfile
{
    public static readonly SharingProfile Exclusive = new(null, [], ExternalTrafficPolicy.Cluster, new Dictionary<string, string>());

    public SharingProfile(string? key, IReadOnlyList<ServicePort> ports, ExternalTrafficPolicy trafficPolicy, IReadOnlyDictionary<string, string> selector)
    {
        Key = key;
        var normalised = new ServicePort[ports.Count];
        for (var i = 0; i < normalised.Length; i++)
        {
            normalised[i] = new ServicePort(ports[i].Port, ports[i].Protocol.ToUpperInvariant());
        }

        Array.Sort(normalised, static (a, b) => a.Port != b.Port ? a.Port.CompareTo(b.Port) : string.CompareOrdinal(a.Protocol, b.Protocol));
        Ports = normalised;
        TrafficPolicy = trafficPolicy;

        // Kept as a sorted array: one per Service, so it should be small; compared only under Local traffic policy.
        var pairs = new KeyValuePair<string, string>[selector.Count];
        var at = 0;
        foreach (var pair in selector)
        {
            pairs[at++] = pair;
        }

        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        Selector = pairs;
    }

    public string? Key { get; }

    public IReadOnlyList<ServicePort> Ports { get; }

    public ExternalTrafficPolicy TrafficPolicy { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Selector { get; }

    /// <summary>Null when both may hold the same address; otherwise the reason, phrased about <paramref name="otherService"/>.</summary>
    public AllocationFailure? ConflictWith(SharingProfile other, ServiceKey otherService)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Key is null || other.Key is null)
        {
            var who = Key is null ? "this Service has no sharing key" : $"{otherService} has no sharing key";
            return new AllocationFailure(FailureReason.AddressInUse, $"address is in use by {otherService} and {who} (purelb.io/allow-shared-ip)", [otherService]);
        }

        if (!string.Equals(Key, other.Key, StringComparison.Ordinal))
        {
            return new AllocationFailure(FailureReason.AddressInUse, $"address is in use by {otherService} with sharing key '{other.Key}', not '{Key}'", [otherService]);
        }

        var clash = Ports.Where(other.Ports.Contains).Distinct().ToList();
        if (clash.Count > 0)
        {
            return new AllocationFailure(FailureReason.SharingConflict,
                $"port {string.Join(", ", clash)} is already used on this address by {otherService}", [otherService]);
        }

        if ((TrafficPolicy == ExternalTrafficPolicy.Local || other.TrafficPolicy == ExternalTrafficPolicy.Local) && !SameSelector(other))
        {
            return new AllocationFailure(FailureReason.SharingConflict,
                $"externalTrafficPolicy: Local needs the same pod selector to share, but {otherService} selects '{Describe(other.Selector)}' and this Service selects '{Describe(Selector)}'",
                [otherService]);
        }

        return null;
    }

    private bool SameSelector(SharingProfile other) => Selector.SequenceEqual(other.Selector);

    private static string Describe(IReadOnlyList<KeyValuePair<string, string>> selector) =>
        string.Join(",", selector.Select(kv => $"{kv.Key}={kv.Value}"));
}
