namespace Beacon.Ipam;

/// <summary>
/// Service annotations the engine reads. PureLB's names are canonical; MetalLB's (both the current <c>metallb.io/</c>
/// and the legacy <c>metallb.universe.tf/</c> prefix) and OpenELB's (the Eip to use, the address wanted) are accepted as
/// aliases so Services migrate unchanged.
/// If several spellings of the same setting are present they must agree.
/// </summary>
public static class ServiceAnnotations
{
    public const string ServiceGroup = "purelb.io/service-group";
    public const string Addresses = "purelb.io/addresses";
    public const string AllowSharedIp = "purelb.io/allow-shared-ip";

    /// <summary>PureLB v2's per-Service override of the group's <c>multiPool</c>: <c>"true"</c> or <c>"false"</c>.</summary>
    public const string MultiPool = "purelb.io/multi-pool";

    public static readonly IReadOnlyList<string> ServiceGroupAliases = [ServiceGroup, "metallb.io/address-pool", "metallb.universe.tf/address-pool", "eip.openelb.kubesphere.io/v1alpha2"];
    public static readonly IReadOnlyList<string> AddressesAliases = [Addresses, "metallb.io/loadBalancerIPs", "metallb.universe.tf/loadBalancerIPs", "eip.openelb.kubesphere.io/v1alpha1"];
    public static readonly IReadOnlyList<string> AllowSharedIpAliases = [AllowSharedIp, "metallb.io/allow-shared-ip", "metallb.universe.tf/allow-shared-ip"];

    public static AnnotationParseResult Parse(IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var errors = new List<string>();
        var group = Single(annotations, ServiceGroupAliases, errors);
        var sharingKey = Single(annotations, AllowSharedIpAliases, errors);
        var addressText = Single(annotations, AddressesAliases, errors);
        var multiPool = MultiPoolValue(annotations, errors);
        var addresses = new List<NumericAddress>();
        if (addressText is not null)
        {
            var source = AddressesAliases.First(annotations.ContainsKey);
            foreach (var part in addressText.Split(','))
            {
                if (!IpAddressSyntax.TryParse(part, out var address, out var error))
                {
                    errors.Add($"{source}: {(part.Trim().Length == 0 ? "has an empty entry (expected comma-separated addresses)" : error)}");
                }
                else if (addresses.Where(a => a.Family == address.Family).Select(a => (NumericAddress?)a).FirstOrDefault() is { } same)
                {
                    errors.Add($"{source}: gives two {address.Family} addresses ({same}, {address}); give at most one per family");
                }
                else
                {
                    addresses.Add(address);
                }
            }
        }

        return errors.Count > 0
            ? new AnnotationParseResult(null, errors)
            : new AnnotationParseResult(new ServiceAnnotationValues(group, addresses, sharingKey, multiPool), []);
    }

    /// <summary>
    /// PureLB takes <c>"true"</c> as on and any other value as off; Beacon takes <c>"false"</c> as off and refuses other
    /// values, so a typo (<c>"ture"</c>, <c>"yes"</c>) is named instead of silently turning multiPool off.
    /// </summary>
    private static bool? MultiPoolValue(IReadOnlyDictionary<string, string> annotations, List<string> errors)
    {
        if (!annotations.TryGetValue(MultiPool, out var raw))
        {
            return null;
        }

        switch (raw.Trim())
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add($"{MultiPool}: '{raw}' is neither \"true\" nor \"false\"");
                return null;
        }
    }

    private static string? Single(IReadOnlyDictionary<string, string> annotations, IReadOnlyList<string> aliases, List<string> errors)
    {
        string? value = null;
        string? from = null;
        foreach (var key in aliases)
        {
            if (!annotations.TryGetValue(key, out var raw))
            {
                continue;
            }

            var trimmed = raw.Trim();
            if (trimmed.Length == 0)
            {
                errors.Add($"{key}: is empty");
                continue;
            }

            if (from is null)
            {
                (value, from) = (trimmed, key);
            }
            else if (!string.Equals(value, trimmed, StringComparison.Ordinal))
            {
                errors.Add($"{key}: '{trimmed}' contradicts {from}: '{value}'");
            }
        }

        return value;
    }
}
