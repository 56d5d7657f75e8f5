using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Formats;
using Beacon.Allocator.Formats.MetalLb;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Informers;
using Beacon.Kube.Models;
using Beacon.Kube.Validation;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Informers over Services, ServiceGroups, Namespaces, Nodes and EndpointSlices, and over every foreign format's
/// custom resources (<see cref="ForeignKinds"/>) plus MetalLB's legacy ConfigMap; every change queues the keys it
/// affects. Runs on every replica (leader or not) so a standby takes over with a warm cache.
/// </summary>
internal sealed partial class KubernetesSource : IAllocatorSource
{
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);
    private readonly ILogger logger;
    private readonly Informer<Service> services;
    private readonly Informer<ServiceGroup> groups;
    private readonly Informer<Namespace> namespaces;
    private readonly Informer<Node> nodes;
    private readonly Informer<EndpointSlice> slices;
    private readonly IReadOnlyList<(ForeignKind Kind, Informer<CustomObject> Informer)> foreign;
    private readonly WorkQueue queue;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<string, EndpointSlice>> slicesByService = new(StringComparer.Ordinal);

    /// <param name="foreignRetry">How often a foreign kind whose CRD is not installed is looked for again (default a minute).</param>
    /// <param name="ownWrites">The loop's own Service writes: their watch echoes are not queued again.</param>
    public KubernetesSource(k8s.IKubernetes client, WorkQueue queue, ILoggerFactory loggers, TimeSpan? foreignRetry = null, OwnServiceWrites? ownWrites = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(loggers);
        this.queue = queue ?? throw new ArgumentNullException(nameof(queue));
        var log = loggers.CreateLogger("Beacon.Allocator.Informers");
        logger = loggers.CreateLogger<KubernetesSource>();
        services = new Informer<Service>(ListWatches.Services(client), null, log);
        groups = new Informer<ServiceGroup>(ListWatches.ServiceGroups(client), null, log);
        namespaces = new Informer<Namespace>(ListWatches.Namespaces(client), null, log);
        nodes = new Informer<Node>(ListWatches.Nodes(client), null, log);
        slices = new Informer<EndpointSlice>(ListWatches.EndpointSlices(client), null, log);
        var retry = foreignRetry ?? TimeSpan.FromMinutes(1);
        foreign = ForeignKinds.ReadBy(PoolFormats.Default)
            .Select(k => (k, ListWatches.CustomObjects(client, k.Group, k.Version, k.Plural)))
            .Append((ForeignKinds.LegacyConfigMap, ListWatches.ConfigMap(client, MetalLbKinds.LegacyNamespace, MetalLbKinds.LegacyName)))
            .Select(p => (p.Item1, new Informer<CustomObject>(new OptionalListWatch<CustomObject>(p.Item2, retry, log), null, log)))
            .ToList();
        foreach (var (_, informer) in foreign)
        {
            informer.AddHandler((e, _) =>
            {
                // Status-only updates (our own writes among them) do not change any pool.
                if (e.Type != InformerEventType.Updated || e.OldObject is null || ForeignText(e.OldObject) != ForeignText(e.Object))
                {
                    queue.Add(WorkQueue.Groups);
                }

                return ValueTask.CompletedTask;
            });
        }


        services.AddHandler((e, _) =>
        {
            // The echo of our own patch or status update: the decision behind it is taken and written already.
            if (e.Type == InformerEventType.Updated && ownWrites is not null && ownWrites.IsEcho(e.Object.Key, e.Object.Metadata.ResourceVersion))
            {
                return ValueTask.CompletedTask;
            }

            if (Accepted(e.Object, "Service"))
            {
                queue.Add(e.Object.Key);
            }

            return ValueTask.CompletedTask;
        });
        groups.AddHandler((e, _) =>
        {
            // Our own status writes come back as updates; only spec (or identity) changes alter allocation.
            if (e.Type != InformerEventType.Updated || e.OldObject is null || SpecText(e.OldObject) != SpecText(e.Object)
                || e.OldObject.Metadata.CreationTimestamp != e.Object.Metadata.CreationTimestamp)
            {
                queue.Add(WorkQueue.Groups);
            }

            return ValueTask.CompletedTask;
        });
        namespaces.AddHandler((e, _) =>
        {
            // Only label changes matter (allocation.namespaceSelector).
            if (e.Type != InformerEventType.Updated || !SameLabels(e.OldObject?.Metadata.Labels, e.Object.Metadata.Labels))
            {
                foreach (var service in services.List(e.Object.Metadata.Name ?? string.Empty))
                {
                    queue.Add(service.Key);
                }
            }

            return ValueTask.CompletedTask;
        });
        nodes.AddHandler((e, _) =>
        {
            if (e.Type != InformerEventType.Updated || NodeMatters(e.OldObject, e.Object))
            {
                queue.Add(WorkQueue.AllServices);
            }

            return ValueTask.CompletedTask;
        });
        slices.AddHandler((e, _) =>
        {
            var before = e.OldObject?.ServiceName;
            var after = e.Object.ServiceName;
            lock (gate)
            {
                if (before is not null)
                {
                    Index(e.Object.Metadata.Namespace, before)?.Remove(e.Object.Key);
                }

                if (after is not null && e.Type != InformerEventType.Deleted)
                {
                    IndexOrCreate(e.Object.Metadata.Namespace, after)[e.Object.Key] = e.Object;
                }
                else if (after is not null)
                {
                    Index(e.Object.Metadata.Namespace, after)?.Remove(e.Object.Key);
                }
            }

            if (after is not null)
            {
                queue.Add($"{e.Object.Metadata.Namespace}/{after}");
            }

            return ValueTask.CompletedTask;
        });
    }

    public IReadOnlyList<Task> Start(CancellationToken cancellationToken) =>
    [
        services.RunAsync(cancellationToken),
        groups.RunAsync(cancellationToken),
        namespaces.RunAsync(cancellationToken),
        nodes.RunAsync(cancellationToken),
        slices.RunAsync(cancellationToken),
        .. foreign.Select(f => f.Informer.RunAsync(cancellationToken)),
    ];

    public bool HasSynced => services.HasSynced && groups.HasSynced && namespaces.HasSynced && nodes.HasSynced && slices.HasSynced
        && foreign.All(f => f.Informer.HasSynced);

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.WhenAll(
        services.WaitForSyncAsync(cancellationToken),
        groups.WaitForSyncAsync(cancellationToken),
        namespaces.WaitForSyncAsync(cancellationToken),
        nodes.WaitForSyncAsync(cancellationToken),
        slices.WaitForSyncAsync(cancellationToken),
        Task.WhenAll(foreign.Select(f => f.Informer.WaitForSyncAsync(cancellationToken))));

    public IReadOnlyList<Service> Services() => services.List().Where(s => Accepted(s, "Service")).ToList();

    public Service? Service(string key) => services.GetByKey(key) is { } service && Accepted(service, "Service") ? service : null;

    public IReadOnlyList<ServiceGroup> Groups() => groups.List().Where(g => Accepted(g, "ServiceGroup")).ToList();

    public IReadOnlyDictionary<string, string>? NamespaceLabels(string @namespace) => namespaces.Get(null, @namespace)?.Metadata.Labels;

    public IReadOnlyList<string> ReadyNodes(string serviceKey)
    {
        List<EndpointSlice> ofService;
        lock (gate)
        {
            var slash = serviceKey.IndexOf('/', StringComparison.Ordinal);
            ofService = Index(serviceKey[..slash], serviceKey[(slash + 1)..])?.Values.Where(s => Accepted(s, "EndpointSlice")).ToList() ?? [];
        }

        var known = nodes.List().Where(n => Accepted(n, "Node")).ToList();
        return ReadyNodeCalculator.ReadyNodes(ofService, known.Count == 0 ? null : known.ToDictionary(n => n.Metadata.Name ?? string.Empty, StringComparer.Ordinal));
    }

    public IReadOnlyList<ForeignResource> ForeignResources() =>
        foreign.SelectMany(f => f.Informer.List().Select(o => ToForeign(f.Kind, o)))
            .OrderBy(r => r.Source, StringComparer.Ordinal)
            .ToList();

    public IReadOnlyList<IPAddress> NodeAddresses() => ReadyNodeCalculator.InternalAddresses(nodes.List().Where(n => Accepted(n, "Node")));

    /// <summary>
    /// Whether the object's name and namespace are ones the API server accepts. A real API server never serves
    /// anything else, but a hand-fed or buggy one may: such an object is logged once and skipped, never allocated for.
    /// </summary>
    private bool Accepted(KubeObject value, string kind)
    {
        if (KubeNameRules.Problem(kind, value.Metadata.Name, value.Metadata.Namespace) is not { } problem)
        {
            return true;
        }

        lock (gate)
        {
            if (reported.Add(kind + "\n" + value.Key))
            {
                LogInvalidObject(logger, problem);
            }
        }

        return false;
    }

    private Dictionary<string, EndpointSlice>? Index(string? ns, string service) =>
        slicesByService.GetValueOrDefault($"{ns}/{service}");

    private Dictionary<string, EndpointSlice> IndexOrCreate(string? ns, string service)
    {
        var key = $"{ns}/{service}";
        if (!slicesByService.TryGetValue(key, out var index))
        {
            index = new Dictionary<string, EndpointSlice>(StringComparer.Ordinal);
            slicesByService[key] = index;
        }

        return index;
    }

    /// <summary>The object as a format reads it, named by where it came from ("metallb.io/v1beta1 IPAddressPool ns/name").</summary>
    private static ForeignResource ToForeign(ForeignKind kind, CustomObject value)
    {
        var body = JsonSerializer.SerializeToNode(value, Beacon.Kube.Json.KubeJsonContext.Default.CustomObject) as JsonObject ?? [];
        // List items of built-in kinds come without type meta; the kind followed is what they are.
        body["apiVersion"] = kind.ApiVersion;
        body["kind"] = kind.Kind;
        return new ForeignResource(kind.ApiVersion, kind.Kind, value.Metadata.Namespace, value.Metadata.Name ?? string.Empty,
            value.Metadata.CreationTimestamp, value.Metadata.Labels ?? [], body, $"{kind.ApiVersion} {kind.Kind} {value.Key}", 0);
    }

    /// <summary>Everything of a foreign object that can change a translation: all but its status and bookkeeping.</summary>
    private static string ForeignText(CustomObject value) => string.Join('\n',
        (value.ExtensionData ?? []).Where(kv => kv.Key != "status").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.GetRawText())
            .Concat((value.Metadata.Labels ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => "label " + kv.Key + "=" + kv.Value))
            .Concat((value.Metadata.Annotations ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => "annotation " + kv.Key + "=" + kv.Value))
            .Append(value.Metadata.CreationTimestamp?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));

    private static string SpecText(ServiceGroup group) =>
        System.Text.Json.JsonSerializer.Serialize(group.Spec, Beacon.Kube.Json.KubeJsonContext.Default.ServiceGroupSpec);

    private static bool SameLabels(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value));

    /// <summary>Node heartbeats update status every few seconds; only readiness, labels and addresses matter here.</summary>
    private static bool NodeMatters(Node? before, Node after)
    {
        if (before is null)
        {
            return true;
        }

        string Ready(Node n) => n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status ?? string.Empty;
        string Addresses(Node n) => string.Join(",", (n.Status?.Addresses ?? []).Select(a => a.Type + "=" + a.Address));
        return Ready(before) != Ready(after) || Addresses(before) != Addresses(after) || !SameLabels(before.Metadata.Labels, after.Metadata.Labels);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring an object the API server should have refused: {Problem}")]
    private static partial void LogInvalidObject(ILogger logger, string problem);
}
