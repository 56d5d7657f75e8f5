using Beacon.Hosting;

namespace Beacon.Services.Tests.Hosting;

/// <summary>
/// The node agent turns the runtime's inline socket completions on for itself, and an operator who set the variable
/// (to "0" to turn it off) keeps their choice. The variable is process-wide: each test restores it.
/// </summary>
[Collection(nameof(InlineSocketCompletionsTests))]
public sealed class InlineSocketCompletionsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);

    public void Dispose() => Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, _before);

    [Fact]
    public void Unset_it_is_turned_on()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, null);

        InlineSocketCompletions.PreferUnlessSet();

        Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable).Should().Be("1");
    }

    [Fact]
    public void An_operators_setting_is_kept()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, "0");

        InlineSocketCompletions.PreferUnlessSet();

        Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable).Should().Be("0");
    }
}
