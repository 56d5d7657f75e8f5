using Beacon.Ipam;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Allocator.Tests.Formats.Conflicts;

/// <summary>
/// For any set of pools of any kinds and creation times (ties included), written to a manifest directory: no address is
/// ever served by two pools, the oldest claimant always keeps its range, and a pool is refused exactly when an older
/// pool that is served overlaps it.
/// </summary>
public sealed class OldestClaimantProperty
{
    // One legacy ConfigMap per cluster: it meets every other kind in CrossFormatConflictTests, not itself.
    private static readonly string[] Kinds = [.. PoolKinds.Writers.Keys.Where(k => k != PoolKinds.LegacyConfigMap)];

    private sealed record Claim(string Name, string Kind, int First, int Last, DateTimeOffset Created)
    {
        public bool Overlaps(Claim other) => First <= other.Last && other.First <= Last;
    }

    private static readonly Gen<List<Claim>> Claims =
        Gen.Choose(0, Kinds.Length - 1)
            .SelectMany(_ => Gen.Choose(1, 40), (kind, first) => (kind, first))
            .SelectMany(_ => Gen.Choose(0, 12), (t, length) => (t.kind, t.first, length))
            .SelectMany(_ => Gen.Choose(0, 4), (t, day) => (t.kind, t.first, t.length, day))
            .ListOf()
            .Select(items => items.Take(9).Select((c, i) => new Claim($"p{i}", Kinds[c.kind], c.first, Math.Min(254, c.first + c.length),
                new DateTimeOffset(2024, 1, 1 + c.day, 0, 0, 0, TimeSpan.Zero))).ToList());

    [Property(MaxTest = 60)]
    public Property No_address_is_served_twice_and_the_oldest_claimant_wins() => Prop.ForAll(Claims.ToArbitrary(), claims =>
    {
        var world = FormatWorld.Of(claims.Select(c => ($"{c.Name}.yaml", PoolKinds.Writers[c.Kind](c.Name, $"10.0.0.{c.First}-10.0.0.{c.Last}", c.Created))).ToArray());
        var served = world.Engine.Groups.Groups;

        // No address in two served pools.
        var ranges = served.SelectMany(g => g.Pools.SelectMany(p => p.Ranges.Select(r => (g.Name, Range: r)))).ToList();
        var doubleServed = ranges.SelectMany((a, i) => ranges.Skip(i + 1).Where(b => a.Range.Overlaps(b.Range)).Select(b => $"{a.Name}/{b.Name}")).ToList();

        // Oldest first (ties by name, ordinal): served exactly when no older served claim overlaps it.
        var expected = new List<Claim>();
        foreach (var claim in claims.OrderBy(c => c.Created).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            if (!expected.Any(e => e.Overlaps(claim)))
            {
                expected.Add(claim);
            }
        }

        var actual = served.Select(g => g.Name).Order(StringComparer.Ordinal).ToList();
        var wanted = expected.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var refusedWithoutReason = claims.Where(c => !actual.Contains(c.Name) && world.GroupProblems(c.Name).Count == 0).ToList();
        return (doubleServed.Count == 0).Label($"served twice: {string.Join(", ", doubleServed)}")
            .And(actual.SequenceEqual(wanted)).Label($"served {string.Join(",", actual)}, oldest-first expects {string.Join(",", wanted)}")
            .And(refusedWithoutReason.Count == 0).Label($"refused without a reason: {string.Join(",", refusedWithoutReason.Select(c => c.Name))}");
    });
}
