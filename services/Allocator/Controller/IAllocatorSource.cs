using System.Net;
using Beacon.Allocator.Formats;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Controller;

/// <summary>Where the Allocator reads Services and ServiceGroups from: the Kubernetes API or a manifest directory.</summary>
internal interface IAllocatorSource
{
    /// <summary>Completes when the first full view is loaded.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    IReadOnlyList<Service> Services();

    /// <summary>The Service by "namespace/name", or null when it does not exist (any more).</summary>
    Service? Service(string key);

    IReadOnlyList<ServiceGroup> Groups();

    IReadOnlyDictionary<string, string>? NamespaceLabels(string @namespace);

    /// <summary>Nodes with ready endpoints of the Service, sorted.</summary>
    IReadOnlyList<string> ReadyNodes(string serviceKey);

    /// <summary>Node InternalIPs, to tell local addresses from routed ones; empty when unknown.</summary>
    IReadOnlyList<IPAddress> NodeAddresses();

    /// <summary>
    /// Objects of other load balancers' formats (MetalLB, OpenELB, …) that some <see cref="PoolFormats"/> format reads,
    /// untranslated. Empty unless the source reads them.
    /// </summary>
    IReadOnlyList<ForeignResource> ForeignResources() => [];
}
