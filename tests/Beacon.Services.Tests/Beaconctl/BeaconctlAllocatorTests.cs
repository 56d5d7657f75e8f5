using Beacon.Ctl;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>beaconctl against the real Allocator (standalone) over a real nats-server.</summary>
public sealed class BeaconctlAllocatorTests(StandaloneAllocatorFixture allocator) : IClassFixture<StandaloneAllocatorFixture>
{
    [Fact]
    public async Task Status_shows_pool_usage_and_each_service_with_its_address_or_reason()
    {
        var run = await CtlRun.RunAsync("status", "--nats-url", allocator.Url);

        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        // Other tests in this class may add Services to the shared Allocator, so count what the table itself lists.
        var allocated = System.Text.RegularExpressions.Regex.Matches(run.Output, @"│\s*lan\s*│\s*198\.18\.10\.\d+\s*│\s*Allocated").Count;
        allocated.Should().BeGreaterThanOrEqualTo(1, "web holds an address from lan");
        run.Output.Should().MatchRegex($@"lan/v4pool\s*│\s*IPv4\s*│\s*20\s*│\s*{allocated}\s*│\s*{20 - allocated}\s*│", "20 addresses in the pool, one used per allocated Service");
        run.Output.Should().MatchRegex(@"demo/web\s*│\s*lan\s*│\s*198\.18\.10\.200\s*│\s*Allocated");
        run.Output.Should().MatchRegex(@"demo/lost\s*│\s*nosuch\s*│\s*-\s*│\s*UnknownGroup");
    }

    [Fact]
    public async Task Explain_of_a_pending_service_names_the_missing_group_in_plain_words()
    {
        var run = await CtlRun.RunAsync("explain", "demo/lost", "--nats-url", allocator.Url);

        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        run.Output.Should().Contain("It has no address (UnknownGroup)").And.Contain("'nosuch' does not exist");
    }

    [Fact]
    public async Task Explain_of_an_allocated_service_without_agents_says_no_agent_is_alive()
    {
        var run = await CtlRun.RunAsync("explain", "demo/web", "--nats-url", allocator.Url);

        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        run.Output.Should().Contain("It has 198.18.10.200 from ServiceGroup lan.").And.Contain("no node agent is alive");
    }

    [Fact]
    public async Task Explain_of_an_unknown_service_exits_2()
    {
        var run = await CtlRun.RunAsync("explain", "demo/nothing-here", "--nats-url", allocator.Url);

        run.ExitCode.Should().Be(CtlExitCodes.NotFound, run.ToString());
        run.Output.Should().Contain("There is no Service demo/nothing-here");
    }

    [Fact]
    public async Task Events_prints_the_allocation_of_a_service_added_while_tailing()
    {
        var tail = CtlRun.RunAsync("events", "--nats-url", allocator.Url, "--type", "io.beacon.allocation.changed", "--service", "demo/tailed",
            "--count", "1", "--timeout", "60");
        var file = Path.Combine(allocator.ManifestsDirectory, "30-tailed.yaml");
        try
        {
            // The tail subscribes asynchronously: (re)create the Service until the tail has seen one allocation.
            while (!tail.IsCompleted)
            {
                await File.WriteAllTextAsync(file, StandaloneAllocatorFixture.Service("tailed", "lan"));
                await Task.WhenAny(tail, Task.Delay(TimeSpan.FromSeconds(3)));
                if (!tail.IsCompleted)
                {
                    File.Delete(file);
                    await Task.WhenAny(tail, Task.Delay(TimeSpan.FromSeconds(2)));
                }
            }

            var run = await tail;
            run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
            var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().ContainSingle();
            lines[0].Should().Contain("io.beacon.allocation.changed.v1 beacon.v1.allocations.demo.tailed subject=demo/tailed source=/beacon/allocator")
                .And.Contain("\"address\":\"198.18.10.");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
