using System.Net;
using System.Text.Json;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Manifests;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Json;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// Services and ServiceGroups from a directory of YAML manifests (*.yaml, *.yml, subdirectories included). Changes are
/// picked up from file-system notifications and, because those can be lost (editors, network file systems), from a
/// periodic rescan. Each rescan compares with the previous view and queues only what changed.
/// </summary>
internal sealed partial class ManifestDirectorySource : IAllocatorSource, IDisposable
{
    private readonly string directory;
    private readonly StandaloneStatusStore store;
    private readonly WorkQueue queue;
    private readonly ILogger logger;
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim rescan = new(0, 1);
    private readonly HashSet<string> reportedProblems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> lastValid = new(StringComparer.Ordinal);
    private ManifestSnapshot snapshot = ManifestSnapshot.Empty;
    private FileSystemWatcher? watcher;
    private List<ManifestFileStamp> lastStamps = [];

    public ManifestDirectorySource(string directory, StandaloneStatusStore store, WorkQueue queue, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        this.directory = Path.GetFullPath(directory);
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.queue = queue ?? throw new ArgumentNullException(nameof(queue));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public ManifestSnapshot Snapshot => Volatile.Read(ref snapshot);

    /// <summary>Scans now, then watches the directory and rescans every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        Scan();
        synced.TrySetResult();
        try
        {
            Directory.CreateDirectory(directory);
            watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
            watcher.Changed += (_, _) => RequestRescan();
            watcher.Created += (_, _) => RequestRescan();
            watcher.Deleted += (_, _) => RequestRescan();
            watcher.Renamed += (_, _) => RequestRescan();
            watcher.Error += (_, _) => RequestRescan();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogWatchUnavailable(logger, directory, e.Message);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            bool notified;
            try
            {
                notified = await rescan.WaitAsync(interval, cancellationToken).ConfigureAwait(false);
                if (notified)
                {
                    // Let a burst of writes (an editor saving, a copy of many files) settle into one rescan.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (notified)
            {
                Scan();
            }
            else
            {
                _ = RescanIfChanged();
            }
        }
    }

    /// <summary>
    /// The periodic safety net: scans only when a manifest's name, size or modification time differs from the last scan,
    /// so a quiet directory of large manifests costs a few stat calls instead of parsing every file again.
    /// Returns whether it scanned.
    /// </summary>
    public bool RescanIfChanged()
    {
        if (Stamps().SequenceEqual(lastStamps))
        {
            return false;
        }

        Scan();
        return true;
    }

    public void RequestRescan()
    {
        try
        {
            rescan.Release();
        }
        catch (SemaphoreFullException)
        {
            // A rescan is already pending.
        }
    }

    /// <summary>Reads every manifest and queues what differs from the previous view.</summary>
    public void Scan()
    {
        var files = new List<(string, string, DateTimeOffset)>();
        // Stamped before reading: a write after this point changes the stamp, so the next safety-net rescan reads it.
        lastStamps = Stamps();
        if (Directory.Exists(directory))
        {
            foreach (var file in ManifestFiles())
            {
                try
                {
                    // The modification time is a resource's age where the manifest writes no creationTimestamp (BGP peer clashes).
                    files.Add((Path.GetRelativePath(directory, file), File.ReadAllText(file), File.GetLastWriteTimeUtc(file)));
                }
                catch (IOException e)
                {
                    // Being written right now: the next rescan reads it.
                    LogUnreadable(logger, file, e.Message);
                    RequestRescan();
                }
            }
        }
        else
        {
            LogMissingDirectory(logger, directory);
        }

        // A file that stops being valid (a typo mid-edit) keeps its last valid content: a mistake in one file must
        // never release the addresses of the Services it declares.
        var used = new List<ManifestFile>();
        var fileProblems = new List<ManifestProblem>();
        foreach (var (name, text, writtenAt) in files)
        {
            // Each file is read once per scan: the same reading judges the file and builds the view (a file of 1,000
            // Services used to be parsed twice before anything was allocated).
            var read = ManifestCatalog.Read(name, text, writtenAt);
            var problems = lastValid.TryGetValue(name, out var previousText) && previousText == text
                ? []
                : ManifestCatalog.Build([read]).Problems;
            if (string.IsNullOrWhiteSpace(text) && lastValid.ContainsKey(name))
            {
                // Caught between truncate and write (editors, File.WriteAllText): the write's own notification rescans.
                // A file that really is emptied keeps its Services until it is deleted.
                problems = [new ManifestProblem(name, 1, "the file is empty")];
            }

            if (problems.Count == 0)
            {
                lastValid[name] = text;
                used.Add(read);
                continue;
            }

            var kept = lastValid.TryGetValue(name, out var good);
            fileProblems.AddRange(problems.Select(p => p with
            {
                Message = p.Message + (kept ? " (keeping the last valid version of this file)" : " (this document is ignored)"),
            }));
            used.Add(kept ? ManifestCatalog.Read(name, good!, writtenAt) : read);
        }

        foreach (var gone in lastValid.Keys.Except(files.Select(f => f.Item1), StringComparer.Ordinal).ToList())
        {
            lastValid.Remove(gone);
        }

        var built = ManifestCatalog.Build(used);
        var next = built with { Problems = fileProblems.Concat(built.Problems.Where(p => !fileProblems.Any(f => f.Source == p.Source))).ToList() };
        var previous = Volatile.Read(ref snapshot);
        Volatile.Write(ref snapshot, next);
        foreach (var problem in next.Problems)
        {
            if (reportedProblems.Add(problem.ToString()))
            {
                LogProblem(logger, problem.Source, problem.Line, problem.Message);
            }
        }

        reportedProblems.IntersectWith(next.Problems.Select(p => p.ToString()));
        foreach (var key in previous.Services.Keys.Union(next.Services.Keys))
        {
            if (!Same(previous.Services.GetValueOrDefault(key), next.Services.GetValueOrDefault(key)))
            {
                queue.Add(key);
            }
        }

        if (!SameSet(previous.Groups, next.Groups) || !SameSet(previous.Namespaces, next.Namespaces)
            || !SameForeign(previous.ForeignResources, next.ForeignResources))
        {
            queue.Add(WorkQueue.Groups);
        }
        else if (!SameSet(previous.Nodes, next.Nodes) || previous.EndpointSlices.Count != next.EndpointSlices.Count
                 || !previous.EndpointSlices.Zip(next.EndpointSlices).All(p => Same(p.First, p.Second)))
        {
            queue.Add(WorkQueue.AllServices);
        }
    }

    private IEnumerable<string> ManifestFiles() =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith('.'));

    private List<ManifestFileStamp> Stamps()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var stamps = new List<ManifestFileStamp>();
        foreach (var file in ManifestFiles())
        {
            try
            {
                var info = new FileInfo(file);
                stamps.Add(new ManifestFileStamp(file, info.Length, info.LastWriteTimeUtc));
            }
            catch (IOException)
            {
                // Gone between listing and stat: a different stamp list, so the rescan happens.
                stamps.Add(new ManifestFileStamp(file, -1, DateTime.MinValue));
            }
        }

        stamps.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return stamps;
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced.Task.WaitAsync(cancellationToken);

    public IReadOnlyList<Service> Services() => Snapshot.Services.Values.Select(store.Overlay).ToList();

    public Service? Service(string key) => Snapshot.Services.TryGetValue(key, out var service) ? store.Overlay(service) : null;

    public IReadOnlyList<ServiceGroup> Groups() => Snapshot.Groups.Values.ToList();

    public IReadOnlyDictionary<string, string>? NamespaceLabels(string @namespace) =>
        Snapshot.Namespaces.GetValueOrDefault(@namespace)?.Metadata.Labels;

    public IReadOnlyList<string> ReadyNodes(string serviceKey)
    {
        var current = Snapshot;
        var slash = serviceKey.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (serviceKey[..slash], serviceKey[(slash + 1)..]);
        var slices = current.EndpointSlices.Where(s => s.Metadata.Namespace == ns && s.ServiceName == name);
        return ReadyNodeCalculator.ReadyNodes(slices, current.Nodes.Count == 0 ? null : current.Nodes);
    }

    public IReadOnlyList<IPAddress> NodeAddresses() => ReadyNodeCalculator.InternalAddresses(Snapshot.Nodes.Values);

    public IReadOnlyList<Formats.ForeignResource> ForeignResources() => Snapshot.ForeignResources;

    public void Dispose()
    {
        watcher?.Dispose();
        rescan.Dispose();
    }

    private static bool Same(Service? a, Service? b) =>
        a is null || b is null ? a is null && b is null
            : JsonSerializer.Serialize(a, KubeJsonContext.Default.Service) == JsonSerializer.Serialize(b, KubeJsonContext.Default.Service);

    private static bool SameForeign(IReadOnlyList<Formats.ForeignResource> a, IReadOnlyList<Formats.ForeignResource> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Source == p.Second.Source && p.First.Line == p.Second.Line && p.First.WrittenAt == p.Second.WrittenAt
                                                && p.First.Body.ToJsonString() == p.Second.Body.ToJsonString());

    private static bool Same(EndpointSlice a, EndpointSlice b) =>
        JsonSerializer.Serialize(a, KubeJsonContext.Default.EndpointSlice) == JsonSerializer.Serialize(b, KubeJsonContext.Default.EndpointSlice);

    private static bool SameSet<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b)
        where T : KubeObject =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && Text(kv.Value) == Text(other));

    private static string Text(KubeObject value) => value switch
    {
        ServiceGroup g => JsonSerializer.Serialize(g, KubeJsonContext.Default.ServiceGroup),
        Namespace n => JsonSerializer.Serialize(n, KubeJsonContext.Default.Namespace),
        Node n => JsonSerializer.Serialize(n, KubeJsonContext.Default.Node),
        _ => value.Key,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}:{Line}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string file, int line, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read {File} yet: {Reason}; retrying")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Manifest directory {Directory} does not exist; no Services or ServiceGroups until it does")]
    private static partial void LogMissingDirectory(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot watch {Directory} ({Reason}); relying on periodic rescans")]
    private static partial void LogWatchUnavailable(ILogger logger, string directory, string reason);
}
