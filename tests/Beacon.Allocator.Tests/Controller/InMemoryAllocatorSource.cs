using System.Collections.Concurrent;
using System.Net;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>
/// A source that hands the loop whatever it is given, unvalidated: the worst a buggy API server or a hand-fed cache
/// could do. Keys are assigned by the test, so objects without (valid) names can still be held.
/// </summary>
internal sealed class InMemoryAllocatorSource : IAllocatorSource
{
    public ConcurrentDictionary<string, Service> ServiceObjects { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ServiceGroup> GroupObjects { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, Node> NodeObjects { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, EndpointSlice> SliceObjects { get; } = new(StringComparer.Ordinal);

    /// <summary>Foreign-format objects (MetalLB, OpenELB, PureLB v2, LBNodeAgents); replace the list to change them.</summary>
    public IReadOnlyList<Beacon.Allocator.Formats.ForeignResource> Foreign { get; set; } = [];

    public IReadOnlyList<Beacon.Allocator.Formats.ForeignResource> ForeignResources() => Foreign;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<Service> Services() => ServiceObjects.Values.ToList();

    public Service? Service(string key) => ServiceObjects.GetValueOrDefault(key);

    public IReadOnlyList<ServiceGroup> Groups() => GroupObjects.Values.ToList();

    public IReadOnlyDictionary<string, string>? NamespaceLabels(string @namespace) => null;

    public IReadOnlyList<string> ReadyNodes(string serviceKey)
    {
        var slash = serviceKey.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (serviceKey[..slash], serviceKey[(slash + 1)..]);
        var slices = SliceObjects.Values.Where(s => s.Metadata?.Namespace == ns && s.ServiceName == name);
        // Keyed by name like an informer's store: the first of two objects claiming one name wins.
        var nodes = NodeObjects.GroupBy(kv => kv.Value.Metadata?.Name ?? kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        return ReadyNodeCalculator.ReadyNodes(slices, nodes.Count == 0 ? null : nodes);
    }

    public IReadOnlyList<IPAddress> NodeAddresses() => ReadyNodeCalculator.InternalAddresses(NodeObjects.Values);
}
