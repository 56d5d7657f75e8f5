using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// Turns a <c>purelb.io/v2</c> ServiceGroup into the engine's group spec, the same one a v1 ServiceGroup gives, plus
/// v2's namespace fields. balancePools picks the least used pool of a family; multiPool gives a Service one address from
/// every pool of each family it asks for. What Beacon deliberately does otherwise (skipIPv6DAD: false) is a warning naming the field; what PureLB itself refuses (multiPool with balancePools, enforceNamespaces or namespaceDefault
/// without namespaces, not exactly one of local/remote/external) rejects the group. Pure.
/// </summary>
internal static class ServiceGroupV2Translator
{
    public const string Kind = "ServiceGroup";

    public static ServiceGroupV2Translation Translate(string name, DateTimeOffset? createdAt, JsonObject? spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        ServiceGroupV2Spec parsed;
        try
        {
            parsed = (spec ?? []).Deserialize(PureLbV2JsonContext.Default.ServiceGroupV2Spec) ?? new ServiceGroupV2Spec();
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? "spec" + p.TrimStart('$') : "spec";
            return new ServiceGroupV2Translation(null, [new FieldProblem(path, e.Message.Split(" Path:")[0])]);
        }

        var problems = new List<FieldProblem>();
        var sources = new[] { ("local", parsed.Local is not null), ("remote", parsed.Remote is not null), ("external", parsed.External is not null), ("netbox", parsed.Netbox is not null) }
            .Where(s => s.Item2).Select(s => s.Item1).ToList();
        if (sources.Count != 1)
        {
            problems.Add(new FieldProblem("spec", sources.Count == 0
                ? "defines no address source; give exactly one of local, remote or external"
                : $"defines {string.Join(" and ", sources)}; give exactly one of local, remote or external"));
        }
        else if (parsed.External is not null)
        {
            problems.Add(new FieldProblem("spec.external", "Beacon does not call external IPAM sidecars; declare the addresses in spec.local or spec.remote"));
        }
        else if (parsed.Netbox is not null)
        {
            problems.Add(new FieldProblem("spec.netbox", "Beacon does not allocate from NetBox; use spec.local or spec.remote pools"));
        }

        var pools = parsed.Local ?? parsed.Remote;
        var poolsPath = parsed.Local is not null ? "spec.local" : "spec.remote";
        if (pools is not null)
        {
            if (pools.MultiPool == true && pools.BalancePools == true)
            {
                problems.Add(new FieldProblem($"{poolsPath}.balancePools", "multiPool and balancePools cannot both be true (PureLB refuses this too)"));
            }

            if (pools.SkipIPv6DAD == false)
            {
                // true is what the node agent always does; an explicit false asks for something Beacon deliberately does not do.
                problems.Add(new FieldProblem($"{poolsPath}.skipIPv6DAD", "false is not applied: the node agent always adds IPv6 addresses without duplicate address detection (nodad), because the election already gives each address one owner and DAD would hold a taken-over address tentative for about a second", Rejected: false));
            }
        }

        var namespaces = parsed.Namespaces ?? [];
        if (namespaces.Count == 0 && parsed.EnforceNamespaces == true)
        {
            problems.Add(new FieldProblem("spec.enforceNamespaces", "needs a non-empty spec.namespaces (PureLB refuses this too)"));
        }

        if (namespaces.Count == 0 && parsed.NamespaceDefault == true)
        {
            problems.Add(new FieldProblem("spec.namespaceDefault", "needs a non-empty spec.namespaces (PureLB refuses this too)"));
        }

        if (namespaces.Count > 0 && (parsed.Allocation?.Namespaces?.Count ?? 0) > 0)
        {
            problems.Add(new FieldProblem("spec.allocation.namespaces", "contradicts spec.namespaces; give one of them"));
        }

        if (namespaces.Count > 0 && parsed.EnforceNamespaces != true)
        {
            problems.Add(new FieldProblem("spec.namespaces", "is a boundary in Beacon (as with enforceNamespaces: true): Services in other namespaces naming this group get no address from it", Rejected: false));
        }

        if (problems.Any(p => p.Rejected) || pools is null)
        {
            return new ServiceGroupV2Translation(null, problems);
        }

        var v4 = pools.V4Pool is { } p4 ? ToPool(p4) : null;
        var v6 = pools.V6Pool is { } p6 ? ToPool(p6) : null;
        if (pools.Pool is not null || pools.Subnet is not null)
        {
            var legacy = new PoolSpec(pools.Subnet, pools.Pool, pools.Aggregation);
            if ((pools.Subnet ?? pools.Pool ?? string.Empty).Contains(':', StringComparison.Ordinal))
            {
                v6 ??= legacy;
            }
            else
            {
                v4 ??= legacy;
            }
        }

        var allocation = parsed.Allocation;
        var group = new ServiceGroupSpec
        {
            Name = name,
            CreatedAt = createdAt,
            Kind = Kind,
            V4Pool = v4,
            V6Pool = v6,
            V4Pools = (pools.V4Pools ?? []).Select(ToPool).ToList(),
            V6Pools = (pools.V6Pools ?? []).Select(ToPool).ToList(),
            AutoAssign = parsed.AutoAssign,
            AvoidBuggyIPs = parsed.AvoidBuggyIPs ?? false,
            BalancePools = pools.BalancePools == true,
            MultiPool = pools.MultiPool == true,
            Allocation = allocation is null && namespaces.Count == 0
                ? null
                : new AllocationSpec
                {
                    // namespaceDefault: the group an unannotated Service of those namespaces gets, before the others.
                    Priority = allocation?.Priority ?? (parsed.NamespaceDefault == true ? 0 : null),
                    Namespaces = namespaces.Count > 0 ? namespaces : allocation?.Namespaces ?? [],
                    NamespaceSelector = allocation?.NamespaceSelector?.ToSelector(),
                    ServiceSelector = allocation?.ServiceSelector?.ToSelector(),
                },
        };
        return new ServiceGroupV2Translation(group, problems);
    }

    private static PoolSpec ToPool(ServiceGroupV2Pool pool) => new(pool.Subnet, pool.Pool, pool.Aggregation);
}
