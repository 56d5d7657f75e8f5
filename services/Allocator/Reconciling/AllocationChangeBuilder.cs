using System.Net;
using Beacon.Contracts;
using Beacon.Ipam;
using Contract = Beacon.Contracts;
using IpamAddress = Beacon.Ipam.AllocatedAddress;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Reconciling;

/// <summary>Builds the bus message a node needs to act on one Service, without asking Kubernetes. Pure.</summary>
internal static class AllocationChangeBuilder
{
    /// <param name="remoteGroups">Groups declared under <c>spec.remote</c>: their addresses always go on kube-lb0.</param>
    /// <param name="nodeAddresses">Node InternalIPs; a local-group address is Local when some node lives in its subnet.
    /// Empty when nodes are unknown (standalone without Node manifests): local groups are then taken at their word.</param>
    public static AllocationChanged Build(
        KubeService service,
        IReadOnlyList<IpamAddress> addresses,
        IReadOnlyList<string> readyNodes,
        IReadOnlySet<string> remoteGroups,
        IReadOnlyList<IPAddress> nodeAddresses)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(readyNodes);
        ArgumentNullException.ThrowIfNull(remoteGroups);
        ArgumentNullException.ThrowIfNull(nodeAddresses);
        var key = new Contract.ServiceKey(service.Metadata.Namespace ?? "default", service.Metadata.Name ?? string.Empty);
        var sharingKey = ServiceAnnotations.Parse(service.Metadata.Annotations ?? new Dictionary<string, string>()).Values?.SharingKey;
        return new AllocationChanged(
            key,
            addresses.Select(a => ToContract(a, remoteGroups, nodeAddresses)).ToList(),
            addresses.Select(a => a.Group).FirstOrDefault(g => g is not null),
            (service.Spec.Ports ?? []).Select(p => new Contract.ServicePort(p.Port, string.IsNullOrEmpty(p.Protocol) ? "TCP" : p.Protocol)).ToList(),
            string.Equals(service.Spec.ExternalTrafficPolicy, "Local", StringComparison.Ordinal) ? TrafficPolicy.Local : TrafficPolicy.Cluster,
            readyNodes,
            sharingKey,
            0,
            string.Empty);
    }

    public static Contract.AllocatedAddress ToContract(IpamAddress address, IReadOnlySet<string> remoteGroups, IReadOnlyList<IPAddress> nodeAddresses)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(remoteGroups);
        ArgumentNullException.ThrowIfNull(nodeAddresses);
        var hostLength = address.Family == Ipam.IpFamily.IPv4 ? 32 : 128;
        var local = address.Subnet is { } subnet
                    && (address.Group is null || !remoteGroups.Contains(address.Group))
                    && (nodeAddresses.Count == 0 || nodeAddresses.Any(n => n.AddressFamily == address.Address.AddressFamily && subnet.Contains(NumericAddress.From(n))));
        return new Contract.AllocatedAddress(
            address.Address.ToString(),
            local ? address.PrefixLength : hostLength,
            address.Family == Ipam.IpFamily.IPv4 ? Contract.IpFamily.IPv4 : Contract.IpFamily.IPv6,
            local ? AddressPlacement.Local : AddressPlacement.Remote,
            address.Pool ?? address.Group ?? string.Empty,
            address.Subnet?.ToString() ?? $"{address.Address}/{hostLength}",
            local || address.PrefixLength >= hostLength ? null : address.PrefixLength);
    }
}
