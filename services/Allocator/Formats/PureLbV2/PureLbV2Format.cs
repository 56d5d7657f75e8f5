using Beacon.Allocator.Manifests;
using Beacon.Contracts;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// PureLB's current API, <c>purelb.io/v2</c>: ServiceGroups become pools exactly as v1 ones do (plus v2's namespace
/// fields), so v1 and v2 groups share names, overlap rules and annotations. LBNodeAgents (v1 and v2) are checked here
/// and the accepted ones go to the node agents on the bus (<see cref="FormatTranslation.NodeAgents"/>).
/// </summary>
internal sealed class PureLbV2Format : IPoolFormat
{
    public const string ApiVersion = "purelb.io/v2";

    public string Name => "PureLB v2";

    /// <summary>v1 LBNodeAgents too: v1 and v2 share one schema, and both reach the node agents (<see cref="NodeAgentConfigMapper"/>).</summary>
    public bool Reads(string apiVersion, string kind) =>
        (apiVersion == ApiVersion && kind is "ServiceGroup" or "LBNodeAgent") || (apiVersion == "purelb.io/v1" && kind == "LBNodeAgent");

    // The very CRDs the cluster gets (v2 has v1's schema): what the API server would refuse is refused here too.
    private static readonly Lazy<CustomResourceSchema> GroupSchema = new(() => CustomResourceSchema.Embedded("servicegroups.purelb.io.yaml", "v2"));
    private static readonly Lazy<CustomResourceSchema> AgentSchema = new(() => CustomResourceSchema.Embedded("lbnodeagents.purelb.io.yaml", "v2"));

    public IReadOnlyList<ForeignProblem> Validate(ForeignResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var violations = (resource.Kind == "ServiceGroup" ? GroupSchema : AgentSchema).Value.Validate(resource.Body);
        if (violations.Count > 0)
        {
            return violations.Select(v => new ForeignProblem(resource.Id, resource.At(v.Path), v.Path.TrimStart('.'), v.Message)).ToList();
        }

        IReadOnlyList<FieldProblem> problems = resource.Kind == "ServiceGroup"
            ? ServiceGroupV2Translator.Translate(resource.Name, resource.CreatedAt, resource.Spec).Problems
            : LBNodeAgentV2Translator.Translate(resource.Spec).Problems;
        return problems.Where(p => p.Rejected).Select(p => ForeignProblem.Of(resource, p.Field, p.Message)).ToList();
    }

    public FormatTranslation Translate(IReadOnlyList<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var pools = new List<ServiceGroupSpec>();
        var problems = new List<ForeignProblem>();
        var agents = new List<NodeAgentConfig>();
        foreach (var resource in resources)
        {
            IReadOnlyList<FieldProblem> found;
            if (resource.Kind == "ServiceGroup")
            {
                var translation = ServiceGroupV2Translator.Translate(resource.Name, resource.CreatedAt, resource.Spec);
                found = translation.Problems;
                if (translation.Pool is { } pool)
                {
                    pools.Add(pool with { Origin = resource.At() });
                }
            }
            else
            {
                var translation = LBNodeAgentV2Translator.Translate(resource.Spec);
                found = translation.Problems;
                if (translation.Settings is not null)
                {
                    agents.Add(NodeAgentConfigMapper.Map(resource.Namespace is null ? resource.Name : $"{resource.Namespace}/{resource.Name}", resource.Spec));
                }
            }

            problems.AddRange(found.Where(p => !p.Rejected).Select(p => ForeignProblem.Of(resource, p.Field, p.Message, rejected: false)));
        }

        // No AnnouncementPolicy: as for v1 groups, nodes decide from the subnets.
        return new FormatTranslation(pools, new Dictionary<string, AnnouncementPolicy>(StringComparer.Ordinal), problems)
        {
            NodeAgents = [.. agents.OrderBy(a => a.Name, StringComparer.Ordinal)],
        };
    }
}
