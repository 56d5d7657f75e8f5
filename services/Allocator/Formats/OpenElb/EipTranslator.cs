using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// Turns one OpenELB Eip into a Beacon pool, following OpenELB's own rules (pkg/controllers/ipam): a Service that names
/// no Eip gets one whose <c>namespaces</c> / <c>namespaceSelector</c> admit its namespace (lower <c>priority</c>
/// first), else the Eip annotated <c>eip.openelb.kubesphere.io/is-default-eip: "true"</c>; an Eip that is neither is
/// used only by Services naming it. Pure.
/// </summary>
internal static class EipTranslator
{
    public const string Kind = "Eip";

    public static EipTranslation Translate(string name, DateTimeOffset? createdAt, IReadOnlyDictionary<string, string> annotations, JsonObject? spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(annotations);
        var problems = new List<FieldProblem>();
        EipSpec parsed;
        try
        {
            parsed = (spec ?? []).Deserialize(OpenElbJsonContext.Default.EipSpec) ?? new EipSpec();
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? "spec" + p.TrimStart('$') : "spec";
            return new EipTranslation(null, "bgp", null, [new FieldProblem(path, e.Message.Split(" Path:")[0])]);
        }

        var protocol = string.IsNullOrEmpty(parsed.Protocol) ? "bgp" : parsed.Protocol;
        if (protocol is not ("bgp" or "layer2" or "vip"))
        {
            problems.Add(new FieldProblem("spec.protocol", $"'{protocol}' is not one of bgp, layer2, vip"));
        }

        var iface = string.IsNullOrWhiteSpace(parsed.Interface) ? null : parsed.Interface.Trim();
        if (protocol is "layer2" or "vip" && iface is null)
        {
            // OpenELB's webhook refuses this; Beacon can serve it (the node agent's interface), so it is only a warning.
            problems.Add(new FieldProblem("spec.interface", $"is empty; OpenELB requires it for protocol {protocol}, Beacon answers on the node agent's interface", Rejected: false));
        }
        else if (iface is not null && iface.StartsWith("can_reach:", StringComparison.Ordinal))
        {
            problems.Add(new FieldProblem("spec.interface", $"'{iface}': Beacon does not pick interfaces by route; it answers on the interface whose subnet holds the address", Rejected: false));
            iface = null;
        }

        if (!EipAddress.TryParse(parsed.Address, out var range, out var addressError))
        {
            problems.Add(new FieldProblem("spec.address", addressError));
        }

        var namespaces = parsed.Namespaces ?? [];
        var selector = parsed.NamespaceSelector ?? new Dictionary<string, string>();
        var isDefault = OpenElbAnnotations.IsDefault(annotations);
        if (parsed.UsingKnownIPs == true)
        {
            problems.Add(new FieldProblem("spec.usingKnownIPs", "is not needed: Beacon never probes whether an address is in use before handing it out", Rejected: false));
        }

        if (problems.Any(p => p.Rejected))
        {
            return new EipTranslation(null, protocol, iface, problems);
        }

        var subnet = EipAddress.CoveringSubnet(range);
        var hostLength = NumericAddress.BitLength(range.Family);
        // OpenELB answers ARP/NDP for the address without adding it to an interface; Beacon adds it as a host address so
        // no prefix route to the Eip's range appears on the node.
        var pool = new PoolSpec(subnet.ToString(), range.First == range.Last ? range.First.ToString() : $"{range.First}-{range.Last}", $"/{hostLength}");
        var restricted = namespaces.Count > 0 || selector.Count > 0;
        var group = new ServiceGroupSpec
        {
            Name = name,
            CreatedAt = createdAt,
            Kind = Kind,
            V4Pool = range.Family == IpFamily.IPv4 ? pool : null,
            V6Pool = range.Family == IpFamily.IPv6 ? pool : null,
            // Disabled: nothing new is handed out automatically, what is held stays (OpenELB keeps status.used too).
            AutoAssign = parsed.Disable != true && (restricted || isDefault),
            Allocation = restricted
                ? new AllocationSpec
                {
                    // Namespace-bound Eips come before the default one (OpenELB tries them first), lower priority first.
                    Priority = Math.Max(0, parsed.Priority ?? 0),
                    Namespaces = namespaces,
                    NamespaceSelectors = selector.Count > 0 ? [new LabelSelector { MatchLabels = selector }] : [],
                }
                : null,
        };
        return new EipTranslation(group, protocol, iface, problems);
    }
}
