namespace Beacon.KubeApiServer;

/// <summary>
/// The API server's name rules (apimachinery validation: IsDNS1035Label, IsDNS1123Label, IsDNS1123Subdomain,
/// IsQualifiedName, IsValidLabelValue), written here independently of Beacon's client-side checks so the test server
/// is a second opinion on them.
/// </summary>
public static class ObjectNameRules
{
    private const int LabelMax = 63;
    private const int SubdomainMax = 253;

    public static string? Dns1035Label(string value) =>
        value.Length > LabelMax ? $"must be no more than {LabelMax} characters"
        : IsLabel(value) && char.IsAsciiLetterLower(value[0]) ? null
        : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    public static string? Dns1123Label(string value) =>
        value.Length > LabelMax ? $"must be no more than {LabelMax} characters"
        : IsLabel(value) ? null
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static string? Dns1123Subdomain(string value) =>
        value.Length > SubdomainMax ? $"must be no more than {SubdomainMax} characters"
        : value.Split('.').All(IsLabel) ? null
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    /// <summary>Label and annotation keys: [DNS-1123 subdomain prefix/]name.</summary>
    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && (slash == 0 || Dns1123Subdomain(key[..slash]) is not null))
        {
            return false;
        }

        var name = slash >= 0 ? key[(slash + 1)..] : key;
        return name.Length > 0 && IsLabelValue(name);
    }

    /// <summary>Empty, or at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric.</summary>
    public static bool IsLabelValue(string value) =>
        value.Length == 0 ||
        (value.Length <= LabelMax && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]) &&
         value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));

    private static bool IsLabel(string value) =>
        value.Length is > 0 and <= LabelMax && value[0] != '-' && value[^1] != '-'
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
