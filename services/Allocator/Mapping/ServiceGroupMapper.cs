using Beacon.Ipam;
using KubeGroup = Beacon.Kube.Models.ServiceGroup;
using KubePools = Beacon.Kube.Models.ServiceGroupPools;
using KubeSelector = Beacon.Kube.Models.LabelSelector;

namespace Beacon.Allocator.Mapping;

/// <summary>Turns a purelb.io/v1 ServiceGroup object into the engine's group spec. Pure.</summary>
internal static class ServiceGroupMapper
{
    public static ServiceGroupSpec ToSpec(KubeGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var spec = group.Spec;
        // local and remote share a shape; where an address goes is decided per node from its subnets.
        var pools = spec.Local ?? spec.Remote ?? new KubePools();
        var v4 = pools.V4Pool is { } p4 ? ToPool(p4) : null;
        var v6 = pools.V6Pool is { } p6 ? ToPool(p6) : null;
        if (pools.Pool is not null || pools.Subnet is not null)
        {
            // PureLB's original single-pool form: the family follows the subnet (or the pool when no subnet is given).
            var legacy = new PoolSpec(pools.Subnet, pools.Pool, pools.Aggregation);
            var text = pools.Subnet ?? pools.Pool ?? string.Empty;
            if (text.Contains(':', StringComparison.Ordinal))
            {
                v6 ??= legacy;
            }
            else
            {
                v4 ??= legacy;
            }
        }

        return new ServiceGroupSpec
        {
            Name = group.Metadata.Name ?? string.Empty,
            CreatedAt = group.Metadata.CreationTimestamp,
            V4Pool = v4,
            V6Pool = v6,
            V4Pools = (pools.V4Pools ?? []).Select(ToPool).ToList(),
            V6Pools = (pools.V6Pools ?? []).Select(ToPool).ToList(),
            AutoAssign = spec.AutoAssign,
            AvoidBuggyIPs = spec.AvoidBuggyIPs ?? false,
            // purelb.io/v2's balancePools and multiPool (v1 and v2 share one schema; the v1 model keeps them as extra fields).
            BalancePools = pools.ExtensionData?.TryGetValue("balancePools", out var balance) == true && balance.ValueKind == System.Text.Json.JsonValueKind.True,
            MultiPool = pools.ExtensionData?.TryGetValue("multiPool", out var multi) == true && multi.ValueKind == System.Text.Json.JsonValueKind.True,
            Allocation = spec.Allocation is { } a
                ? new AllocationSpec
                {
                    Priority = a.Priority,
                    Namespaces = a.Namespaces ?? [],
                    NamespaceSelector = ToSelector(a.NamespaceSelector),
                    ServiceSelector = ToSelector(a.ServiceSelector),
                }
                : null,
        };
    }

    /// <summary>Why a group cannot be used at all even though it is well-formed; null when it can.</summary>
    public static string? UnsupportedSource(KubeGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        // A group without a spec (garbage from the API) has nothing unsupported to report; its errors say what is missing.
        return group.Spec is { Local: null, Remote: null, Netbox: not null }
            ? "spec.netbox: Beacon does not allocate from NetBox; use spec.local or spec.remote pools"
            : null;
    }

    private static PoolSpec ToPool(Beacon.Kube.Models.AddressPool pool) => new(pool.Subnet, pool.Pool, pool.Aggregation);

    private static Ipam.LabelSelector? ToSelector(KubeSelector? selector) => selector is null
        ? null
        : new Ipam.LabelSelector
        {
            MatchLabels = selector.MatchLabels ?? new Dictionary<string, string>(),
            MatchExpressions = (selector.MatchExpressions ?? [])
                .Select(e => new LabelSelectorRequirement(e.Key, e.Operator, e.Values ?? []))
                .ToList(),
        };
}
