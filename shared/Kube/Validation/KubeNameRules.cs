using System.Text;

namespace Beacon.Kube.Validation;

/// <summary>
/// The object-name rules of the Kubernetes API server (apimachinery's IsDNS1035Label, IsDNS1123Label and
/// IsDNS1123Subdomain with the per-kind choice the API server makes). The client library does not validate names, and a
/// manifest directory has no API server in front of it, so every source of objects checks them here. Pure.
/// </summary>
public static class KubeNameRules
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;

    /// <summary>
    /// Why an object of <paramref name="kind"/> with this name and namespace would be rejected by the API server, or
    /// null when it would be accepted. Namespaced kinds need a valid namespace (null means "default").
    /// </summary>
    public static string? Problem(string kind, string? name, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var nameProblem = kind switch
        {
            "Service" => Dns1035Label(name),
            "Namespace" => Dns1123Label(name),
            _ => Dns1123Subdomain(name),
        };
        if (nameProblem is not null)
        {
            return $"{kind} name {Quoted(name)}: {nameProblem}";
        }

        if (IsNamespaced(kind) && @namespace is not null && Dns1123Label(@namespace) is { } namespaceProblem)
        {
            return $"{kind} {name}: namespace {Quoted(@namespace)}: {namespaceProblem}";
        }

        return null;
    }

    public static bool IsNamespaced(string kind) => kind is not ("Namespace" or "Node");

    /// <summary>Service names: a lowercase RFC 1035 label.</summary>
    public static string? Dns1035Label(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > LabelMaxLength)
        {
            return $"must be no more than {LabelMaxLength} characters";
        }

        return IsLabel(value, mustStartWithLetter: true)
            ? null
            : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')";
    }

    /// <summary>Namespace names: a lowercase RFC 1123 label.</summary>
    public static string? Dns1123Label(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > LabelMaxLength)
        {
            return $"must be no more than {LabelMaxLength} characters";
        }

        return IsLabel(value, mustStartWithLetter: false)
            ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')";
    }

    /// <summary>Most other names (Nodes, EndpointSlices, custom resources): a lowercase RFC 1123 subdomain.</summary>
    public static string? Dns1123Subdomain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "must not be empty";
        }

        if (value.Length > SubdomainMaxLength)
        {
            return $"must be no more than {SubdomainMaxLength} characters";
        }

        return value.Split('.').All(part => part.Length > 0 && IsLabel(part, mustStartWithLetter: false))
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
    }

    private static bool IsLabel(string value, bool mustStartWithLetter)
    {
        if (value.Length == 0 || value[0] == '-' || value[^1] == '-' || (mustStartWithLetter && value[0] is not (>= 'a' and <= 'z')))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name as an operator can read it in a log line: non-printable and non-ASCII characters escaped.</summary>
    private static string Quoted(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var text = new StringBuilder("\"");
        foreach (var c in value.Length > 300 ? value[..300] : value)
        {
            text.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return text.Append(value.Length > 300 ? "…\"" : "\"").ToString();
    }
}
