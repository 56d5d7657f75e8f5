using Beacon.Allocator.Formats;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Allocator.Standalone;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats;

/// <summary>
/// A manifest directory as the standalone Allocator reads it (files → objects → foreign formats → engine), for tests
/// that check what a user of another product would see.
/// </summary>
internal sealed class FormatWorld
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], serveUnclassed: true);

    private FormatWorld(ManifestSnapshot snapshot)
    {
        Snapshot = snapshot;
        Translation = PoolFormats.Default.Translate(snapshot.ForeignResources);
        Engine = new AllocationEngine(Classes);
        Engine.SetGroups(snapshot.Groups.Values, Translation);
    }

    public ManifestSnapshot Snapshot { get; }

    public FormatTranslation Translation { get; }

    public AllocationEngine Engine { get; }

    public static FormatWorld Of(params (string File, string Text)[] files) => new(ManifestCatalog.Build(files));

    /// <summary>Reconciles every Service of the directory oldest first, unstamped ones in the order they are declared (first seen first).</summary>
    public IReadOnlyDictionary<string, ServiceDecision> ReconcileAll(Func<string, IReadOnlyDictionary<string, string>?>? namespaceLabels = null) =>
        Snapshot.Services.Values
            .OrderBy(s => s.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ToDictionary(s => s.Key, s => Engine.Reconcile(s, namespaceLabels?.Invoke(s.Metadata.Namespace ?? "default")), StringComparer.Ordinal);

    public ForeignResource Resource(string kind, string name) =>
        Snapshot.ForeignResources.Single(r => r.Kind == kind && r.Name == name);

    /// <summary>Why the engine does not allocate from group <paramref name="name"/> ("field: message" each).</summary>
    public IReadOnlyList<string> GroupProblems(string name) =>
        Engine.Groups.ErrorsOf(name).Select(e => $"{e.Field}: {e.Message}").ToList();

    public IReadOnlyList<PoolStatistics> Statistics => Engine.Statistics();
}
