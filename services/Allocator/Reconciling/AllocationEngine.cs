using Beacon.Allocator.Formats;
using Beacon.Allocator.Mapping;
using Beacon.Ipam;
using IpamAddress = Beacon.Ipam.AllocatedAddress;
using KubeGroup = Beacon.Kube.Models.ServiceGroup;
using KubeService = Beacon.Kube.Models.Service;

namespace Beacon.Allocator.Reconciling;

/// <summary>
/// The Allocator's decisions without I/O: wraps the IPAM engine, feeds it Kubernetes objects, and answers with
/// per-Service decisions. Single-threaded: one instance per leadership term, driven by one loop.
/// </summary>
internal sealed class AllocationEngine
{
    private readonly AddressAllocator allocator;
    private readonly LoadBalancerClassFilter classes;

    public AllocationEngine(LoadBalancerClassFilter classes, Ipam.AllocatorOptions? options = null)
    {
        this.classes = classes ?? throw new ArgumentNullException(nameof(classes));
        allocator = new AddressAllocator(options ?? new Ipam.AllocatorOptions());
    }

    public ServiceGroupCatalog Groups => allocator.Groups;

    public IReadOnlySet<string> RemoteGroups { get; private set; } = new HashSet<string>();

    /// <summary>The last translation of foreign formats handed to <see cref="SetGroups"/>.</summary>
    public FormatTranslation Foreign { get; private set; } = FormatTranslation.Empty;

    /// <summary>
    /// Replaces every group: purelb.io/v1 ServiceGroups and the pools translated from foreign formats, validated
    /// together so the overlap and duplicate-name rules (the older keeps its addresses) apply across kinds.
    /// </summary>
    public GroupUpdateResult SetGroups(IEnumerable<KubeGroup> groups, FormatTranslation? foreign = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Foreign = foreign ?? FormatTranslation.Empty;
        // An object without metadata or spec is not a group at all (only a broken source could hand one over).
        var list = groups.Where(g => g?.Metadata is not null && g.Spec is not null).ToList();
        RemoteGroups = list.Where(g => g.Spec.Local is null && g.Spec.Remote is not null)
            .Select(g => g.Metadata.Name ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        return allocator.SetGroups(list.Where(g => ServiceGroupMapper.UnsupportedSource(g) is null).Select(ServiceGroupMapper.ToSpec).Concat(Foreign.Pools));
    }

    /// <summary>How the group's addresses are to be announced when a foreign format says so; null otherwise.</summary>
    public Contracts.AnnouncementPolicy? AnnouncementOf(string? group) =>
        group is not null && Foreign.Announcements.TryGetValue(group, out var policy) ? policy : null;

    /// <summary>
    /// Takes over the addresses already in Services' status, before anything is allocated, so no address moves because
    /// of a restart or a new leader. Oldest Services first: if two claim the same address incompatibly, the older keeps it.
    /// </summary>
    public void Restore(IEnumerable<(KubeService Service, IReadOnlyDictionary<string, string>? NamespaceLabels)> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var (service, labels) in services
                     .OrderBy(s => s.Service.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
                     .ThenBy(s => ServiceRequestMapper.KeyOf(s.Service)))
        {
            var addresses = ServiceRequestMapper.StatusAddresses(service);
            if (addresses.Count > 0)
            {
                allocator.Restore(ServiceRequestMapper.ToRequest(service, labels, classes), addresses);
            }
        }
    }

    public ServiceDecision Reconcile(KubeService service, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        ArgumentNullException.ThrowIfNull(service);
        var request = ServiceRequestMapper.ToRequest(service, namespaceLabels, classes);
        var before = allocator.AddressesOf(request.Key);
        var previouslyOurs = before.Count > 0 || ServiceStatusPlanner.HasOurCondition(service);
        var outcome = allocator.Allocate(request);
        var held = outcome.Status == AllocationStatus.NotManaged ? before : allocator.AddressesOf(request.Key);
        return ServiceDecisionBuilder.Build(outcome, held, previouslyOurs);
    }

    /// <summary>The Service was deleted: its addresses are free again (shared ones when the last sharer goes).</summary>
    public IReadOnlyList<System.Net.IPAddress> Remove(ServiceKey key) => allocator.Release(key);

    public IReadOnlyList<IpamAddress> AddressesOf(ServiceKey key) => allocator.AddressesOf(key);

    /// <summary>Services waiting for an address (worth retrying when addresses come free).</summary>
    public IReadOnlyList<ServiceKey> Pending => allocator.Pending.ToList();

    public IReadOnlyList<PoolStatistics> Statistics() => allocator.Statistics();

    public IReadOnlyList<KeyValuePair<ServiceKey, IReadOnlyList<System.Net.IPAddress>>> Assignments() => allocator.Assignments();
}
