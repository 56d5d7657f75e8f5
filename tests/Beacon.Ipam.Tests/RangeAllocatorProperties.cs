using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

/// <summary>The cursor-and-holes range allocator must always agree with a naive "smallest address not in the used set".</summary>
public sealed class RangeAllocatorProperties
{
    // (kind, offset): 0 = take the lowest free, 1 = mark offset used (explicit request), 2 = free offset.
    private static Arbitrary<(int Kind, int Offset)[]> Steps() =>
        Arb.From(Gen.ArrayOf(Gen.Choose(0, 2).SelectMany(kind => Gen.Choose(0, 40).Select(offset => (kind, offset)))));

    private static void Agrees((int Kind, int Offset)[] steps, uint first, bool avoidBuggy)
    {
        var range = new AddressRange(new NumericAddress(IpFamily.IPv4, first), new NumericAddress(IpFamily.IPv4, first + 40));
        var allocator = new RangeAllocator(range, avoidBuggy);
        var used = new SortedSet<uint>();
        bool Usable(uint v) => !(avoidBuggy && ((v & 0xFF) == 0 || (v & 0xFF) == 0xFF));
        foreach (var (kind, offset) in steps)
        {
            var address = first + (uint)offset;
            switch (kind)
            {
                case 0:
                    var expected = Enumerable.Range(0, 41).Select(o => first + (uint)o).Where(v => Usable(v) && !used.Contains(v)).Select(v => (uint?)v).FirstOrDefault();
                    var found = allocator.TryPeekLowestFree(out var lowest);
                    found.Should().Be(expected.HasValue);
                    if (expected is { } value)
                    {
                        lowest.Value.Should().Be((UInt128)value);
                        allocator.MarkUsed(lowest);
                        used.Add(value);
                    }

                    break;
                case 1:
                    allocator.MarkUsed(new NumericAddress(IpFamily.IPv4, address));
                    used.Add(address);
                    break;
                default:
                    allocator.MarkFree(new NumericAddress(IpFamily.IPv4, address));
                    used.Remove(address);
                    break;
            }

            allocator.UsedCount.Should().Be(used.Count);
        }
    }

    [Property(MaxTest = 300)]
    public Property Lowest_free_matches_a_naive_model()
    {
        return Prop.ForAll(Steps(), steps => Agrees(steps, 0x0A000010, avoidBuggy: false));
    }

    [Property(MaxTest = 300)]
    public Property Lowest_free_matches_a_naive_model_when_skipping_dot_zero_and_dot_255()
    {
        // The range 10.0.0.240-10.0.1.24 crosses .255 and .0.
        return Prop.ForAll(Steps(), steps => Agrees(steps, 0x0A0000F0, avoidBuggy: true));
    }
}
