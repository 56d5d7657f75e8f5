namespace Beacon.Ipam;

/// <summary>
/// The set of valid groups built from every ServiceGroup in the cluster, plus the errors of the rejected ones.
/// A broken group never affects a valid one. When pools of two otherwise valid groups overlap, the older group
/// (earlier <see cref="ServiceGroupSpec.CreatedAt"/>, then lower name in ordinal order) is kept and the other is
/// rejected with an error naming it, so adding a group can never take addresses away from an existing one.
/// </summary>
public sealed class ServiceGroupCatalog
{
    private readonly Dictionary<string, ServiceGroup> byName;
    private readonly Dictionary<string, IReadOnlyList<ServiceGroupError>> rejected;

    private ServiceGroupCatalog(List<ServiceGroup> groups, Dictionary<string, IReadOnlyList<ServiceGroupError>> rejected, List<ServiceGroupError> errors)
    {
        Groups = groups;
        byName = groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        this.rejected = rejected;
        Errors = errors;
        InPreferenceOrder = groups.OrderBy(g => g, PreferenceOrder.Instance).ToList();
    }

    public static ServiceGroupCatalog Empty { get; } = Build([]);

    /// <summary>Valid groups, oldest first.</summary>
    public IReadOnlyList<ServiceGroup> Groups { get; }

    /// <summary>
    /// Order in which groups are tried for Services that name none: lower <c>allocation.priority</c> first, groups
    /// without a priority last; then the group named <c>default</c> (PureLB's implicit group); then by name.
    /// </summary>
    public IReadOnlyList<ServiceGroup> InPreferenceOrder { get; }

    /// <summary>Every problem found, rejected groups in the same order as <see cref="Groups"/> would list them.</summary>
    public IReadOnlyList<ServiceGroupError> Errors { get; }

    public IReadOnlyCollection<string> RejectedGroups => rejected.Keys;

    public ServiceGroup? Find(string name) => byName.GetValueOrDefault(name);

    public IReadOnlyList<ServiceGroupError> ErrorsOf(string name) => rejected.GetValueOrDefault(name) ?? [];

    public AddressPool? PoolContaining(NumericAddress address)
    {
        foreach (var group in Groups)
        {
            if (group.PoolContaining(address) is { } pool)
            {
                return pool;
            }
        }

        return null;
    }

    public static ServiceGroupCatalog Build(IEnumerable<ServiceGroupSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var ordered = specs
            .OrderBy(s => s.CreatedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var accepted = new List<ServiceGroup>();
        var rejected = new Dictionary<string, IReadOnlyList<ServiceGroupError>>(StringComparer.Ordinal);
        var errors = new List<ServiceGroupError>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in ordered)
        {
            List<ServiceGroupError> problems;
            if (seen.TryGetValue(spec.Name ?? string.Empty, out var firstKind))
            {
                problems = [new ServiceGroupError(spec.Name ?? string.Empty, "metadata.name", GroupErrorCode.DuplicateName, $"another {firstKind} already has this name")];
            }
            else
            {
                seen[spec.Name ?? string.Empty] = spec.Kind;
                var result = ServiceGroupValidator.Validate(spec);
                problems = result.Errors.ToList();
                if (result.Group is { } group)
                {
                    problems.AddRange(OverlapsWithAccepted(group, accepted));
                    if (problems.Count == 0)
                    {
                        accepted.Add(group);
                        continue;
                    }
                }
            }

            errors.AddRange(problems);
            rejected.TryAdd(spec.Name ?? string.Empty, problems);
        }

        return new ServiceGroupCatalog(accepted, rejected, errors);
    }

    private static IEnumerable<ServiceGroupError> OverlapsWithAccepted(ServiceGroup candidate, List<ServiceGroup> accepted)
    {
        foreach (var pool in candidate.Pools)
        {
            foreach (var range in pool.Ranges)
            {
                foreach (var other in accepted)
                {
                    foreach (var otherPool in other.Pools)
                    {
                        foreach (var otherRange in otherPool.Ranges.Where(r => r.Overlaps(range)))
                        {
                            yield return new ServiceGroupError(candidate.Name, $"spec.local.{pool.Id[(candidate.Name.Length + 1)..]}.pool",
                                GroupErrorCode.OverlapsOtherGroup,
                                $"range {range} overlaps {otherRange} of {other.Kind} '{other.Name}' ({otherPool.Id}), which is older and keeps it");
                        }
                    }
                }
            }
        }
    }

    private sealed class PreferenceOrder : IComparer<ServiceGroup>
    {
        public static readonly PreferenceOrder Instance = new();

        public int Compare(ServiceGroup? x, ServiceGroup? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var byPriority = (x.Allocation.Priority ?? int.MaxValue).CompareTo(y.Allocation.Priority ?? int.MaxValue);
            if (byPriority != 0)
            {
                return byPriority;
            }

            var xDefault = x.Name == "default";
            var yDefault = y.Name == "default";
            if (xDefault != yDefault)
            {
                return xDefault ? -1 : 1;
            }

            return string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
