namespace Beacon.Kube.Models;

/// <summary>The cache key convention: "namespace/name" for namespaced objects, "name" otherwise.</summary>
public static class ObjectKey
{
    public static string Of(string? @namespace, string? name) =>
        string.IsNullOrEmpty(@namespace) ? name ?? string.Empty : $"{@namespace}/{name}";
}
