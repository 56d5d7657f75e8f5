using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.Status;
using Beacon.Kube.CustomResources;
using Beacon.Kube.Library;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Writes MetalLB's ServiceL2Status, ServiceBGPStatus and ConfigurationState objects in the Allocator's namespace
/// through the official client: created once, their status merge-patched through the status subresource only when it
/// differs from what was last written, deleted when no longer wanted. A merge patch carries no resourceVersion, so
/// these objects, which only the Allocator writes, never conflict. What exists is listed once per leadership term (a
/// previous leader may have written since); a kind whose CRD is not installed is skipped with one warning.
/// </summary>
internal sealed partial class StatusObjectWriter
{
    public const string ConfigurationStateName = "controller";
    private const string Group = "metallb.io";
    private const string Version = "v1beta1";
    private const int Parallelism = 8;

    private readonly IKubernetes client;
    private readonly string @namespace;
    private readonly ILogger logger;
    private readonly Dictionary<string, Written> written = new(StringComparer.Ordinal);
    private readonly HashSet<string> missing = new(StringComparer.Ordinal);
    private bool listed;

    public StatusObjectWriter(IKubernetes client, string @namespace, ILogger logger)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.@namespace = @namespace ?? throw new ArgumentNullException(nameof(@namespace));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task WriteAsync(StatusObjects objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (!listed || objects.NewTerm)
        {
            written.Clear();
            await ListAsync(Plural("ServiceL2Status"), cancellationToken).ConfigureAwait(false);
            await ListAsync(Plural("ServiceBGPStatus"), cancellationToken).ConfigureAwait(false);
            await ListAsync(Plural("ConfigurationState"), cancellationToken).ConfigureAwait(false);
            listed = true;
        }

        var wanted = objects.Announcements
            .Select(s => new Wanted(Plural(s.Kind), s.Kind, s.Metadata.Name, s.Metadata.Labels,
                JsonSerializer.SerializeToNode(s.Status, StatusJsonContext.Default.AnnouncementStatusBody)!.AsObject()))
            .Append(new Wanted(Plural("ConfigurationState"), "ConfigurationState", ConfigurationStateName, new Dictionary<string, string>(),
                JsonSerializer.SerializeToNode(objects.Configuration, StatusJsonContext.Default.ConfigurationState)!.AsObject()))
            .Where(w => !missing.Contains(w.Plural))
            .ToList();
        var changed = wanted.Where(w => !written.TryGetValue(Key(w.Plural, w.Name), out var before) || !SameIgnoringTimes(before.Status, w.Status)).ToList();
        var wantedKeys = wanted.Select(w => Key(w.Plural, w.Name)).ToHashSet(StringComparer.Ordinal);
        var gone = written.Where(w => !wantedKeys.Contains(w.Key)).Select(w => w.Value).ToList();

        var done = new System.Collections.Concurrent.ConcurrentBag<(string Key, Written? Now)>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(changed, options, async (w, ct) =>
        {
            var key = Key(w.Plural, w.Name);
            if (!written.ContainsKey(key))
            {
                await CreateAsync(w, ct).ConfigureAwait(false);
            }

            var patch = new JsonObject { ["status"] = w.Status.DeepClone() };
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                Group, Version, @namespace, w.Plural, w.Name, cancellationToken: ct).ConfigureAwait(false);
            done.Add((key, new Written(w.Plural, w.Name, w.Status)));
        }).ConfigureAwait(false);
        await Parallel.ForEachAsync(gone, options, async (w, ct) =>
        {
            try
            {
                await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, @namespace, w.Plural, w.Name, cancellationToken: ct)
                    .ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException e) when (ApiStatus.Of(e) == HttpStatusCode.NotFound)
            {
                // Already gone.
            }

            done.Add((Key(w.Plural, w.Name), null));
        }).ConfigureAwait(false);

        foreach (var (key, now) in done)
        {
            if (now is null)
            {
                written.Remove(key);
            }
            else
            {
                written[key] = now;
            }
        }
    }

    private async Task CreateAsync(Wanted w, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { ["app.kubernetes.io/managed-by"] = "beacon-allocator" };
        foreach (var (label, value) in w.Labels)
        {
            labels[label] = value;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}",
            ["kind"] = w.Kind,
            ["metadata"] = new JsonObject { ["name"] = w.Name, ["namespace"] = @namespace, ["labels"] = labels },
        };
        try
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonDocument.Parse(body.ToJsonString()).RootElement.Clone(), Group, Version, @namespace,
                w.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (ApiStatus.Of(e) == HttpStatusCode.Conflict)
        {
            // Created meanwhile (by a previous leader): its status is patched next all the same.
        }
    }

    private async Task ListAsync(string plural, CancellationToken cancellationToken)
    {
        CustomObjectResourceList list;
        try
        {
            list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomObjectResourceList>(Group, Version, @namespace, plural,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (ApiStatus.Of(e) is HttpStatusCode.NotFound)
        {
            if (missing.Add(plural))
            {
                LogKindMissing(logger, $"{plural}.{Group}");
            }

            return;
        }

        missing.Remove(plural);
        foreach (var item in list.Items ?? [])
        {
            var name = item.Metadata?.Name;
            if (name is null)
            {
                continue;
            }

            var status = item.Rest is not null && item.Rest.TryGetValue("status", out var s) ? JsonNode.Parse(s.GetRawText()) as JsonObject : null;
            written[Key(plural, name)] = new Written(plural, name, status ?? []);
        }
    }

    private static string Plural(string kind) => kind switch
    {
        "ServiceL2Status" => "servicel2statuses",
        "ServiceBGPStatus" => "servicebgpstatuses",
        "ConfigurationState" => "configurationstates",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a status kind Beacon writes"),
    };

    private static string Key(string plural, string name) => plural + "/" + name;

    /// <summary>
    /// Whether two statuses read the same apart from their conditions' transition times: a new term (or a restarted
    /// Allocator) rebuilds its conditions with a fresh time, which alone is no reason to write.
    /// </summary>
    private static bool SameIgnoringTimes(JsonObject current, JsonObject desired) =>
        JsonNode.DeepEquals(WithoutTransitionTimes(current), WithoutTransitionTimes(desired));

    private static JsonNode WithoutTransitionTimes(JsonObject status)
    {
        var copy = status.DeepClone().AsObject();
        if (copy["conditions"] is JsonArray conditions)
        {
            foreach (var condition in conditions.OfType<JsonObject>())
            {
                condition.Remove("lastTransitionTime");
            }
        }

        return copy;
    }

    private sealed record Wanted(string Plural, string Kind, string Name, IReadOnlyDictionary<string, string> Labels, JsonObject Status);

    private sealed record Written(string Plural, string Name, JsonObject Status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CRD {Crd} is not installed: Beacon writes no such status objects (kubectl apply -k k8s/ installs it)")]
    private static partial void LogKindMissing(ILogger logger, string crd);
}
