using Beacon.Hosting.Memory;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Services.Tests.Hosting.Memory;

public sealed class HeapTrimPolicyTests
{
    private const long MiB = 1024 * 1024;
    private static readonly HeapTrimPolicy Policy = HeapTrimPolicy.Default;

    // The NodeAgent in the lab, 30 s after 1,000 Services arrived: 23 MiB committed, 7.5 MiB of objects.
    private static readonly HeapReading AfterBurst = new(23 * MiB, 8 * MiB, MiB / 2);

    [Fact]
    public void A_heap_holding_far_more_than_its_objects_is_trimmed()
    {
        Policy.ShouldTrim(AfterBurst, floor: 0, TimeSpan.MaxValue).Should().BeTrue();
    }

    [Fact]
    public void A_steady_heap_with_its_allocation_budget_is_left_alone()
    {
        // 6 Services after the trim at start: 2 MiB of objects, the 2 MiB first generation and a little.
        var steady = new HeapReading(5 * MiB, 2 * MiB, 0);
        Policy.ShouldTrim(steady, floor: 0, TimeSpan.MaxValue).Should().BeFalse();
        Policy.ShouldTrim(steady with { CommittedBytes = 6 * MiB }, floor: 2 * MiB, TimeSpan.MaxValue).Should().BeFalse();
    }

    [Fact]
    public void Free_space_between_objects_counts_as_unused()
    {
        var fragmented = new HeapReading(12 * MiB, 11 * MiB, 9 * MiB);
        fragmented.UnusedBytes.Should().Be(10 * MiB);
        Policy.ShouldTrim(fragmented, floor: 0, TimeSpan.MaxValue).Should().BeTrue();
    }

    [Fact]
    public void What_the_last_trim_could_not_give_back_does_not_count_again()
    {
        var after = new HeapReading(12 * MiB, 4 * MiB, 0);
        Policy.ShouldTrim(after, floor: 8 * MiB, TimeSpan.FromMinutes(5)).Should().BeFalse();
        var grown = after with { CommittedBytes = 20 * MiB };
        Policy.ShouldTrim(grown, floor: 8 * MiB, TimeSpan.FromMinutes(5)).Should().BeTrue();
    }

    [Fact]
    public void Trims_are_at_least_the_minimum_interval_apart()
    {
        Policy.ShouldTrim(AfterBurst, floor: 0, Policy.MinimumInterval - TimeSpan.FromTicks(1)).Should().BeFalse();
        Policy.ShouldTrim(AfterBurst, floor: 0, Policy.MinimumInterval).Should().BeTrue();
    }

    [Property(MaxTest = 2000)]
    public Property Trims_exactly_when_unused_memory_is_worth_it_and_the_last_trim_is_old_enough()
    {
        var cases = from committed in Gen.Choose(0, 64)
                    from size in Gen.Choose(0, 64)
                    from fragmented in Gen.Choose(0, 8)
                    from floor in Gen.Choose(0, 24)
                    from seconds in Gen.Choose(0, 120)
                    select (Reading: new HeapReading(committed * MiB, size * MiB, Math.Min(fragmented, size) * MiB), Floor: floor * MiB, Since: TimeSpan.FromSeconds(seconds));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var trims = Policy.ShouldTrim(c.Reading, c.Floor, c.Since);
            var unused = Math.Max(0, c.Reading.CommittedBytes - (c.Reading.HeapSizeBytes - c.Reading.FragmentedBytes));
            return trims == (unused - c.Floor >= Policy.Threshold && c.Since >= Policy.MinimumInterval);
        });
    }
}
