using Beacon.Hosting.Options;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Services.Tests.Hosting;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("5s", 5_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData(" 250 ms ", 250)]
    [InlineData("00:00:02.5", 2_500)]
    [InlineData("-1s", -1_000)]
    [InlineData("0", 0)]
    public void Reads_operator_durations(string text, long milliseconds)
    {
        DurationText.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("ms")]
    [InlineData("5 parsecs")]
    [InlineData("1e400s")]
    [InlineData("NaNs")]
    public void Rejects_text_that_is_not_a_duration(string text)
    {
        DurationText.TryParse(text, out _).Should().BeFalse();
    }

    [Theory]
    [InlineData(100, "100ms")]
    [InlineData(5_000, "5s")]
    [InlineData(120_000, "2m")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0, "0s")]
    [InlineData(-2_000, "-2s")]
    public void Writes_the_shortest_whole_unit(long milliseconds, string expected)
    {
        DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)).Should().Be(expected);
    }

    [Property]
    public Property Formatting_then_parsing_gives_back_the_same_duration()
    {
        var durations = Gen.Choose(-1_000_000, 1_000_000)
            .SelectMany(n => Gen.Elements(1L, 10L, 1_000L, 60_000L, 86_400_000L).Select(unit => TimeSpan.FromMilliseconds(n * (double)unit)));
        return Prop.ForAll(durations.ToArbitrary(), d =>
        {
            DurationText.TryParse(DurationText.Format(d), out var back).Should().BeTrue();
            back.Should().Be(d);
        });
    }
}
