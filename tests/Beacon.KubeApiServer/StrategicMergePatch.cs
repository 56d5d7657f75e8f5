using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// Strategic merge patch for the built-in kinds Beacon uses: like a merge patch, except that lists with a patch merge
/// key in the Kubernetes API types merge element by element (and honour "$patch": "delete"/"replace"), merge-strategy
/// primitive lists (finalizers) take the union, and the $setElementOrder/$retainKeys/$deleteFromPrimitiveList
/// directives are understood. Custom resources have no patch metadata: the real server refuses this content type
/// for them (415), and so does this one.
/// </summary>
public static class StrategicMergePatch
{
    // Path (dot-separated, list elements addressed through their parent) -> merge key, from the API types' patchMergeKey tags.
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["metadata.ownerReferences"] = "uid",
        ["metadata.managedFields"] = string.Empty,
        ["spec.ports"] = "port",
        ["status.conditions"] = "type",
        ["status.addresses"] = "type",
        ["status.loadBalancer.ingress.ports"] = string.Empty,
        ["spec.taints"] = string.Empty,
        ["status.images"] = string.Empty,
    };

    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "metadata.finalizers", "spec.finalizers" };

    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            throw ApiError.BadRequest("the strategic merge patch must be a JSON object");
        }

        return MergeObject(target, patchObject, string.Empty) ?? new JsonObject();
    }

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch, string path)
    {
        var directive = (string?)patch["$patch"];
        if (directive == "delete")
        {
            return null;
        }

        var result = directive == "replace" || target is null ? new JsonObject() : (JsonObject)target.DeepClone();
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray removed)
                {
                    result[field] = new JsonArray([.. list.Where(item => !removed.Any(r => JsonNode.DeepEquals(r, item))).Select(item => item?.DeepClone())]);
                }

                continue;
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            switch (value)
            {
                case null:
                    result.Remove(key);
                    break;
                case JsonObject childPatch:
                    var merged = MergeObject(result[key] as JsonObject, childPatch, childPath);
                    if (merged is null)
                    {
                        result.Remove(key);
                    }
                    else
                    {
                        result[key] = merged;
                    }

                    break;
                case JsonArray listPatch:
                    result[key] = MergeList(result[key] as JsonArray, listPatch, childPath);
                    break;
                default:
                    result[key] = value.DeepClone();
                    break;
            }
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, string path)
    {
        if (MergedPrimitiveLists.Contains(path))
        {
            var union = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
            foreach (var item in patch.Where(item => !union.Any(u => JsonNode.DeepEquals(u, item))))
            {
                union.Add(item?.DeepClone());
            }

            return union;
        }

        if (!MergeKeys.TryGetValue(path, out var mergeKey) || mergeKey.Length == 0)
        {
            // No merge strategy: the list is replaced, as with a merge patch.
            return new JsonArray([.. patch.Where(item => (string?)item?["$patch"] is null).Select(item => item?.DeepClone())]);
        }

        if (patch.Any(item => item is JsonObject o && (string?)o["$patch"] == "replace"))
        {
            return new JsonArray([.. patch.Where(item => (string?)item?["$patch"] is null).Select(item => item?.DeepClone())]);
        }

        var result = target is null ? new JsonArray() : (JsonArray)target.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey];
            var index = result.Select((existing, i) => (existing, i)).FirstOrDefault(p => JsonNode.DeepEquals(p.existing?[mergeKey], key), (null, -1)).Item2;
            if ((string?)item["$patch"] == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                result[index] = MergeObject(result[index] as JsonObject, item, path);
            }
            else
            {
                result.Add(MergeObject(null, item, path));
            }
        }

        return result;
    }
}
