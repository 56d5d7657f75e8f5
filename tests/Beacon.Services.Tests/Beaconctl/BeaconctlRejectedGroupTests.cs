using Beacon.Ctl;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>beaconctl status shows a ServiceGroup the Allocator rejected, and why (its own Allocator: the group must not disturb others).</summary>
public sealed class BeaconctlRejectedGroupTests(StandaloneAllocatorFixture allocator) : IClassFixture<StandaloneAllocatorFixture>
{
    [Fact]
    public async Task Status_lists_a_rejected_group_with_the_field_and_the_reason()
    {
        await File.WriteAllTextAsync(Path.Combine(allocator.ManifestsDirectory, "90-reversed.yaml"), """
            apiVersion: purelb.io/v1
            kind: ServiceGroup
            metadata:
              name: reversed
            spec:
              local:
                v4pool:
                  subnet: 198.18.20.0/24
                  pool: 198.18.20.20-198.18.20.10
            """);
        await allocator.Allocator.WaitForLineAsync(new System.Text.RegularExpressions.Regex("ServiceGroup reversed rejected"), TimeSpan.FromSeconds(30));

        var run = await CtlRun.RunAsync("status", "--nats-url", allocator.Url);

        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        run.Output.Should().Contain("Rejected ServiceGroups");
        run.Output.Should().MatchRegex(@"reversed\s*│\s*spec\.local\.v4pool\.pool: ");
    }
}
