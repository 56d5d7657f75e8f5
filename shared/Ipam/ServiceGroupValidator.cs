using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Ipam;

/// <summary>Turns one <see cref="ServiceGroupSpec"/> into a <see cref="ServiceGroup"/> or the complete list of what is wrong with it.</summary>
public static partial class ServiceGroupValidator
{
    public static GroupValidationResult Validate(ServiceGroupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<ServiceGroupError>();
        var name = spec.Name ?? string.Empty;
        void Fail(string field, GroupErrorCode code, string message) => errors.Add(new ServiceGroupError(name, field, code, message));

        if (name.Length is 0 or > 253 || !DnsSubdomain().IsMatch(name))
        {
            Fail("metadata.name", GroupErrorCode.InvalidName, $"'{name}' is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')");
        }

        var declared = new List<(string Path, IpFamily Family, PoolSpec Spec)>();
        if (spec.V4Pool is not null) { declared.Add(("spec.local.v4pool", IpFamily.IPv4, spec.V4Pool)); }
        for (var i = 0; i < spec.V4Pools.Count; i++) { declared.Add(($"spec.local.v4pools[{i}]", IpFamily.IPv4, spec.V4Pools[i])); }
        if (spec.V6Pool is not null) { declared.Add(("spec.local.v6pool", IpFamily.IPv6, spec.V6Pool)); }
        for (var i = 0; i < spec.V6Pools.Count; i++) { declared.Add(($"spec.local.v6pools[{i}]", IpFamily.IPv6, spec.V6Pools[i])); }

        if (declared.Count == 0)
        {
            Fail("spec.local", GroupErrorCode.NoPools, "defines no v4pool, v6pool, v4pools or v6pools");
        }

        var pools = new List<AddressPool>();
        foreach (var (path, family, poolSpec) in declared)
        {
            var pool = ValidatePool(name, path, family, poolSpec, spec.AvoidBuggyIPs, Fail);
            if (pool is not null)
            {
                pools.Add(pool);
            }
        }

        for (var i = 0; i < pools.Count; i++)
        {
            for (var j = i + 1; j < pools.Count; j++)
            {
                var clash = pools[i].Ranges.SelectMany(a => pools[j].Ranges.Where(b => a.Overlaps(b)).Select(b => (a, b))).FirstOrDefault();
                if (clash != default)
                {
                    Fail($"spec.local.{pools[j].Id[(name.Length + 1)..]}.pool", GroupErrorCode.OverlappingPools,
                        $"range {clash.b} overlaps range {clash.a} of {pools[i].Id[(name.Length + 1)..]} in the same group");
                }
            }
        }

        if (spec.MultiPool && spec.BalancePools)
        {
            // PureLB refuses the pair: one address from every pool leaves nothing to balance.
            Fail("spec.local.balancePools", GroupErrorCode.ContradictoryOptions, "multiPool and balancePools cannot both be true");
        }

        var allocation = ValidateAllocation(spec.Allocation, Fail);
        if (errors.Count > 0)
        {
            return new GroupValidationResult(null, errors);
        }

        return new GroupValidationResult(
            new ServiceGroup(name, spec.CreatedAt, pools, spec.AutoAssign ?? true, spec.AvoidBuggyIPs, allocation) { Kind = spec.Kind, BalancePools = spec.BalancePools, MultiPool = spec.MultiPool },
            []);
    }

    private static AddressPool? ValidatePool(string group, string path, IpFamily family, PoolSpec spec, bool avoidBuggyIPs, Action<string, GroupErrorCode, string> fail)
    {
        var familyName = family == IpFamily.IPv4 ? "v4" : "v6";
        var failed = false;
        void Fail(string field, GroupErrorCode code, string message)
        {
            failed = true;
            fail(field, code, message);
        }

        IpSubnet? subnet = null;
        if (string.IsNullOrWhiteSpace(spec.Subnet))
        {
            Fail($"{path}.subnet", GroupErrorCode.MissingSubnet, "is required (the network the pool's addresses belong to)");
        }
        else if (!IpSubnet.TryParse(spec.Subnet, out var parsed, out var subnetError))
        {
            Fail($"{path}.subnet", GroupErrorCode.InvalidCidr, subnetError);
        }
        else if (parsed.Family != family)
        {
            Fail($"{path}.subnet", GroupErrorCode.FamilyMismatch, $"'{spec.Subnet.Trim()}' is {parsed.Family} but this is a {familyName} pool");
        }
        else if (parsed.PrefixLength == 0)
        {
            // Every address of the family (broadcast, multicast, other groups' ranges): never a real network.
            Fail($"{path}.subnet", GroupErrorCode.InvalidCidr, $"'{spec.Subnet.Trim()}' is /0, every {familyName} address; give the network the pool's addresses belong to");
        }
        else
        {
            subnet = parsed;
        }

        var ranges = new List<AddressRange>();
        if (string.IsNullOrWhiteSpace(spec.Pool))
        {
            Fail($"{path}.pool", GroupErrorCode.MissingPool, "is required (a range a-b, a CIDR, or several separated by commas)");
        }
        else
        {
            foreach (var part in spec.Pool.Split(','))
            {
                if (!AddressRange.TryParse(part, out var range, out var code, out var rangeError))
                {
                    Fail($"{path}.pool", code, rangeError);
                }
                else if (range.Family != family)
                {
                    Fail($"{path}.pool", GroupErrorCode.FamilyMismatch, $"'{part.Trim()}' is an {range.Family} range in a {familyName} pool");
                }
                else if (subnet is not null && !subnet.Contains(range))
                {
                    Fail($"{path}.pool", GroupErrorCode.RangeOutsideSubnet, $"'{part.Trim()}' is not inside subnet {subnet}");
                }
                else if (ranges.Where(r => r.Overlaps(range)).Select(r => (AddressRange?)r).FirstOrDefault() is { } other)
                {
                    Fail($"{path}.pool", GroupErrorCode.OverlappingPools, $"'{part.Trim()}' overlaps '{other}' in the same pool");
                }
                else
                {
                    ranges.Add(range);
                }
            }
        }

        var prefixLength = subnet?.PrefixLength ?? 0;
        var aggregation = spec.Aggregation?.Trim();
        if (!string.IsNullOrEmpty(aggregation) && !string.Equals(aggregation, "default", StringComparison.OrdinalIgnoreCase))
        {
            var bits = NumericAddress.BitLength(family);
            if (aggregation[0] != '/' || aggregation.Length is < 2 or > 4 || !aggregation[1..].All(char.IsAsciiDigit)
                || int.Parse(aggregation[1..], NumberStyles.None, CultureInfo.InvariantCulture) is var n && n > bits)
            {
                Fail($"{path}.aggregation", GroupErrorCode.InvalidAggregation, $"'{aggregation}' must be 'default' or a prefix length /0 to /{bits}");
            }
            else
            {
                prefixLength = n;
            }
        }

        if (failed || subnet is null)
        {
            return null;
        }

        return new AddressPool($"{group}/{path["spec.local.".Length..]}", group, subnet, ranges, prefixLength, avoidBuggyIPs);
    }

    private static AllocationPolicy ValidateAllocation(AllocationSpec? spec, Action<string, GroupErrorCode, string> fail)
    {
        if (spec is null)
        {
            return AllocationPolicy.Unrestricted;
        }

        for (var i = 0; i < spec.Namespaces.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(spec.Namespaces[i]) || !DnsLabel().IsMatch(spec.Namespaces[i]))
            {
                fail($"spec.allocation.namespaces[{i}]", GroupErrorCode.InvalidNamespace, $"'{spec.Namespaces[i]}' is not a valid namespace name");
            }
        }

        foreach (var problem in spec.NamespaceSelector?.Problems("spec.allocation.namespaceSelector") ?? [])
        {
            fail("spec.allocation.namespaceSelector", GroupErrorCode.InvalidSelector, problem);
        }

        foreach (var problem in spec.ServiceSelector?.Problems("spec.allocation.serviceSelector") ?? [])
        {
            fail("spec.allocation.serviceSelector", GroupErrorCode.InvalidSelector, problem);
        }

        for (var i = 0; i < spec.NamespaceSelectors.Count; i++)
        {
            foreach (var problem in spec.NamespaceSelectors[i].Problems($"spec.allocation.namespaceSelectors[{i}]"))
            {
                fail($"spec.allocation.namespaceSelectors[{i}]", GroupErrorCode.InvalidSelector, problem);
            }
        }

        for (var i = 0; i < spec.ServiceSelectors.Count; i++)
        {
            foreach (var problem in spec.ServiceSelectors[i].Problems($"spec.allocation.serviceSelectors[{i}]"))
            {
                fail($"spec.allocation.serviceSelectors[{i}]", GroupErrorCode.InvalidSelector, problem);
            }
        }

        return new AllocationPolicy(spec.Priority, spec.Namespaces, spec.NamespaceSelector, spec.ServiceSelector)
        {
            NamespaceSelectors = spec.NamespaceSelectors,
            ServiceSelectors = spec.ServiceSelectors,
        };
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
