namespace Beacon.KubeApiServer;

/// <summary>A parsed API path: /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]] or /apis/{group}/{version}/...</summary>
internal sealed record ApiRoute(ApiResourceInfo Resource, string? Namespace, string? Name, string? Subresource)
{
    public static ApiRoute Parse(string path, ResourceCatalog resources)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            throw NotFound(path);
        }

        if (rest.Length >= 3 && rest[0] == "namespaces" && resources.Find(group, version, rest[2]) is { } inNamespace)
        {
            // A cluster-scoped resource has no namespaced path on a real server: 404.
            return inNamespace.Namespaced && rest.Length <= 5 ? new ApiRoute(inNamespace, rest[1], At(rest, 3), At(rest, 4)) : throw NotFound(path);
        }

        var resource = resources.Find(group, version, rest[0]) ?? throw NotFound(path);
        if (resource.Namespaced && rest.Length >= 2)
        {
            // Only list and watch of a namespaced resource work across namespaces.
            throw NotFound(path);
        }

        return rest.Length <= 3 ? new ApiRoute(resource, null, At(rest, 1), At(rest, 2)) : throw NotFound(path);
    }

    private static string? At(string[] values, int index) => index < values.Length ? values[index] : null;

    private static ApiError NotFound(string path) => new(404, "NotFound", $"the server could not find the requested resource (path {path})");
}
