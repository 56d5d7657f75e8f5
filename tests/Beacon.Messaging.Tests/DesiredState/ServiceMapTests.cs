using System.Globalization;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>
/// The replica's compact map behaves as a plain dictionary under any sequence of adds, replacements and removals, in
/// one builder or many, and a published map never changes afterwards (a consumer may hold an old view).
/// </summary>
public sealed class ServiceMapTests
{
    // Two keys whose 32-bit hashes are equal, found once by search: they exercise the map's collision list.
    private static readonly (ServiceKey A, ServiceKey B) Colliding = FindCollision();

    [Property(MaxTest = 500)]
    public Property The_map_equals_a_dictionary_after_any_changes_and_published_maps_stay_as_they_were()
    {
        var op =
            from key in Gen.Choose(0, 60)
            from variant in Gen.Choose(0, 3)
            from kind in Gen.Frequency((5, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
            select (Key: key, Variant: variant, Kind: kind);
        return Prop.ForAll(Gen.ListOf(op).ToArbitrary(), ops =>
        {
            var model = new Dictionary<ServiceKey, AllocationChanged>();
            var published = new List<(ServiceMap Map, Dictionary<ServiceKey, AllocationChanged> Model)>();
            var builder = ServiceMap.Empty.ToBuilder();
            foreach (var (key, variant, kind) in ops)
            {
                var service = KeyOf(key);
                switch (kind)
                {
                    case 0:
                        var value = SampleAllocations.For(key, variant) with { Service = service };
                        builder.Set(value);
                        model[service] = value;
                        break;
                    case 1:
                        if (builder.Remove(service) != model.Remove(service))
                        {
                            return false.Label($"Remove({service}) disagreed with the dictionary");
                        }

                        break;
                    default:
                        published.Add((builder.ToImmutable(), new Dictionary<ServiceKey, AllocationChanged>(model)));
                        break;
                }

                if (builder.Count != model.Count)
                {
                    return false.Label("count differs while building");
                }
            }

            published.Add((builder.ToImmutable(), model));
            foreach (var (map, expected) in published)
            {
                if (!Same(map, expected, out var why))
                {
                    return false.Label(why);
                }
            }

            return true.ToProperty();
        });
    }

    [Fact]
    public void Keys_with_one_hash_are_both_held_and_removed_one_at_a_time()
    {
        Assert.Equal(ServiceMap.Hash(Colliding.A), ServiceMap.Hash(Colliding.B));
        var a = SampleAllocations.For(1) with { Service = Colliding.A };
        var b = SampleAllocations.For(2) with { Service = Colliding.B };
        var builder = ServiceMap.Empty.ToBuilder();
        builder.Set(a);
        builder.Set(b);
        var both = builder.ToImmutable();
        Assert.Same(a, both[Colliding.A]);
        Assert.Same(b, both[Colliding.B]);
        Assert.Equal(2, both.Values.Count());

        var changedB = b with { Sequence = 9 };
        builder.Set(changedB);
        Assert.True(builder.Remove(Colliding.A));
        var onlyB = builder.ToImmutable();
        Assert.False(onlyB.ContainsKey(Colliding.A));
        Assert.Same(changedB, onlyB[Colliding.B]);
        Assert.Same(a, both[Colliding.A]); // the earlier map is untouched
        Assert.Same(b, both[Colliding.B]);
    }

    [Fact]
    public void Thousands_of_Services_in_shared_buckets_are_held_replaced_and_removed_as_in_a_dictionary()
    {
        // 5,000 keys over the 1,024 buckets: several per bucket, so buckets grow, shrink and fold back into one value.
        var model = new Dictionary<ServiceKey, AllocationChanged>();
        var builder = ServiceMap.Empty.ToBuilder();
        for (var i = 0; i < 5_000; i++)
        {
            var value = SampleAllocations.For(i);
            builder.Set(value);
            model[value.Service] = value;
        }

        var full = builder.ToImmutable();
        var fullModel = new Dictionary<ServiceKey, AllocationChanged>(model);
        foreach (var key in model.Keys.Where((_, i) => i % 3 != 0).ToList())
        {
            Assert.True(builder.Remove(key));
            model.Remove(key);
        }

        foreach (var key in model.Keys.Where((_, i) => i % 2 == 0).ToList())
        {
            var replaced = model[key] with { Sequence = 99 };
            builder.Set(replaced);
            model[key] = replaced;
        }

        Assert.True(Same(builder.ToImmutable(), model, out var why), why);
        Assert.True(Same(full, fullModel, out why), why);
    }

    private static ServiceKey KeyOf(int i) => i >= 58 ? (i == 58 ? Colliding.A : Colliding.B) : SampleAllocations.Key(i);

    private static bool Same(ServiceMap map, Dictionary<ServiceKey, AllocationChanged> expected, out string why)
    {
        var values = map.Values.ToList();
        why = map.Count != expected.Count ? $"count {map.Count}, expected {expected.Count}"
            : values.Count != expected.Count ? $"enumerated {values.Count}, expected {expected.Count}"
            : values.Any(v => !expected.TryGetValue(v.Service, out var e) || !ReferenceEquals(e, v)) ? "enumerated a value the dictionary does not hold"
            : expected.Any(kv => !map.TryGetValue(kv.Key, out var held) || !ReferenceEquals(held, kv.Value)) ? "a held value is not found"
            : Enumerable.Range(0, 61).Select(KeyOf).Any(k => map.ContainsKey(k) != expected.ContainsKey(k)) ? "ContainsKey differs"
            : "";
        return why.Length == 0;
    }

    private static (ServiceKey A, ServiceKey B) FindCollision()
    {
        var seen = new Dictionary<uint, ServiceKey>();
        for (var i = 0; ; i++)
        {
            var key = new ServiceKey("collide", "svc-" + i.ToString(CultureInfo.InvariantCulture));
            if (!seen.TryAdd(ServiceMap.Hash(key), key))
            {
                return (seen[ServiceMap.Hash(key)], key);
            }
        }
    }
}
