using System.Runtime.InteropServices;

namespace Beacon.Ipam;

/// <summary>
/// A <see cref="ServiceRequest"/> interpreted: requested group and addresses, the families to allocate (primary
/// first), and the sharing profile. Built only from valid requests; the error otherwise names the bad field.
/// </summary>
internal sealed class ServiceIntent
{
    private static readonly string[] KnownProtocols = ["TCP", "UDP", "SCTP"];

    // Every Service has one of these four family lists; sharing them keeps per-Service memory down.
    private static readonly IpFamily[][] CommonFamilies = [[IpFamily.IPv4], [IpFamily.IPv6], [IpFamily.IPv4, IpFamily.IPv6], [IpFamily.IPv6, IpFamily.IPv4]];

    private ServiceIntent(ServiceRequest request, string? groupName, IReadOnlyList<NumericAddress> requested, IReadOnlyList<IpFamily> families, SharingProfile sharing,
        bool? multiPool)
    {
        MultiPool = multiPool;
        Request = request;
        GroupName = groupName;
        Requested = requested;
        Families = families;
        Sharing = sharing;
    }

    public ServiceRequest Request { get; }

    public ServiceKey Key => Request.Key;

    public string? GroupName { get; }

    /// <summary>Explicitly requested addresses, one per family in <see cref="Families"/>, or empty.</summary>
    public IReadOnlyList<NumericAddress> Requested { get; }

    public IReadOnlyList<IpFamily> Families { get; }

    public IpFamilyPolicy Policy => Request.IpFamilyPolicy;

    public SharingProfile Sharing { get; }

    /// <summary>The Service's <c>purelb.io/multi-pool</c> override; null when it leaves the choice to its group.</summary>
    public bool? MultiPool { get; }

    public NumericAddress? RequestedFor(IpFamily family) =>
        Requested.Where(a => a.Family == family).Select(a => (NumericAddress?)a).FirstOrDefault();

    public static ServiceIntent? TryCreate(ServiceRequest request, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var annotations = ServiceAnnotations.Parse(request.Annotations);
        problems.AddRange(annotations.Errors);
        var values = annotations.Values ?? new ServiceAnnotationValues(null, [], null);

        var requested = values.Addresses.ToList();
        if (!string.IsNullOrWhiteSpace(request.LoadBalancerIP))
        {
            if (!IpAddressSyntax.TryParse(request.LoadBalancerIP, out var lbip, out var lbipError))
            {
                problems.Add($"spec.loadBalancerIP: {lbipError}");
            }
            else if (requested.Count == 0)
            {
                requested.Add(lbip);
            }
            else if (!requested.Contains(lbip))
            {
                problems.Add($"spec.loadBalancerIP {lbip} contradicts {ServiceAnnotations.Addresses} '{string.Join(",", requested)}'");
            }
        }

        foreach (var port in request.Ports)
        {
            if (port.Port is < 1 or > 65535)
            {
                problems.Add($"spec.ports: port {port.Port} is outside 1-65535");
            }

            if (!KnownProtocols.Contains(port.Protocol?.ToUpperInvariant(), StringComparer.Ordinal))
            {
                problems.Add($"spec.ports: protocol '{port.Protocol}' of port {port.Port} is not TCP, UDP or SCTP");
            }
        }

        var families = ResolveFamilies(request, requested, problems);
        if (problems.Count > 0)
        {
            error = string.Join("; ", problems);
            return null;
        }

        error = string.Empty;
        var sharing = new SharingProfile(values.SharingKey, request.Ports, request.ExternalTrafficPolicy, request.Selector);
        var wanted = requested.Count == 0 ? (IReadOnlyList<NumericAddress>)[] : requested.Where(a => families.Contains(a.Family)).ToList();
        return new ServiceIntent(request, values.ServiceGroup, wanted, Intern(families), sharing, values.MultiPool);
    }

    private static List<IpFamily> ResolveFamilies(ServiceRequest request, List<NumericAddress> requested, List<string> problems)
    {
        var declared = request.IpFamilies;
        if (declared.Distinct().Count() != declared.Count)
        {
            problems.Add($"spec.ipFamilies lists a family twice ({string.Join(", ", declared)})");
            return [];
        }

        List<IpFamily> families;
        switch (request.IpFamilyPolicy)
        {
            case IpFamilyPolicy.SingleStack:
                families = [declared.Count > 0 ? declared[0] : requested.Count > 0 ? requested[0].Family : IpFamily.IPv4];
                if (requested.Count > 0 && requested.All(a => a.Family != families[0]))
                {
                    problems.Add($"requested address {string.Join(",", requested)} is not {families[0]}, the Service's (SingleStack) family");
                }

                break;
            case IpFamilyPolicy.PreferDualStack:
                families = declared.Count > 0 ? declared.ToList() : [IpFamily.IPv4, IpFamily.IPv6];
                if (requested.Count > 0)
                {
                    // With explicit addresses, exactly the requested families are used.
                    families = families.Where(f => requested.Any(a => a.Family == f)).ToList();
                    if (families.Count == 0)
                    {
                        problems.Add($"requested address {string.Join(",", requested)} matches none of spec.ipFamilies ({string.Join(", ", declared)})");
                    }
                }

                break;
            default:
                if (declared.Count == 1)
                {
                    problems.Add($"spec.ipFamilyPolicy RequireDualStack needs both IPv4 and IPv6 in spec.ipFamilies, not only {declared[0]}");
                }

                families = declared.Count == 2 ? declared.ToList() : [IpFamily.IPv4, IpFamily.IPv6];
                if (requested.Count > 0 && requested.Select(a => a.Family).Distinct().Count() < 2)
                {
                    problems.Add($"spec.ipFamilyPolicy RequireDualStack with requested addresses needs one IPv4 and one IPv6 address, got {string.Join(",", requested)}");
                }

                break;
        }

        return families;
    }

    private static IReadOnlyList<IpFamily> Intern(List<IpFamily> families) =>
        CommonFamilies.FirstOrDefault(common => common.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(families))) ?? (IReadOnlyList<IpFamily>)families;

    /// <summary>
    /// Whether the Service still asks for the same kind of address: same group, same requested addresses, same families
    /// and policy. When it does not, the Service has re-targeted and its old addresses are re-evaluated from scratch.
    /// </summary>
    public bool SameTarget(ServiceIntent other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(GroupName, other.GroupName, StringComparison.Ordinal)
            && Requested.SequenceEqual(other.Requested)
            && Families.SequenceEqual(other.Families)
            && Policy == other.Policy;
    }
}
