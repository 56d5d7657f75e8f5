using Beacon.Contracts;
using Beacon.Ctl;
using Beacon.Messaging.Nats;
using Beacon.NodeAgent.Lab;
using Beacon.TestSupport.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>beaconctl's error paths and fail-node against the NodeAgent's real lab responder, over a real nats-server.</summary>
public sealed class BeaconctlBusTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Fail_node_reaches_the_agents_lab_responder_which_answers_before_dying()
    {
        await using var bus = new NatsEventBus(new NatsOptions { Urls = { nats.Url } });
        await bus.ConnectAsync();
        var death = new RecordingDeath();
        using var responder = new LabFailNodeResponder(bus, "node-x", death, NullLogger<LabFailNodeResponder>.Instance);
        await responder.StartAsync(CancellationToken.None);
        try
        {
            var run = await RunUntilAnsweredAsync("fail-node", "node-x", "--nats-url", nats.Url, "--timeout", "2");

            run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
            run.Output.Should().StartWith("ok: node-x: link down and agent stopping now");
            (await death.Died.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be("beaconctl fail-node");
        }
        finally
        {
            await responder.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Fail_node_without_a_lab_agent_names_the_subject_and_the_url()
    {
        var run = await CtlRun.RunAsync("fail-node", "node-y", "--nats-url", nats.Url, "--timeout", "0.5");

        run.ExitCode.Should().Be(CtlExitCodes.NoAnswer);
        run.Error.Should().Contain($"nobody answered on beacon.v1.lab.fail-node.node-y at {nats.Url}").And.Contain("--lab-commands true");
    }

    [Fact]
    public async Task Status_without_an_allocator_says_nobody_answered()
    {
        var run = await CtlRun.RunAsync("status", "--nats-url", nats.Url, "--timeout", "0.5");

        run.ExitCode.Should().Be(CtlExitCodes.NoAnswer);
        run.Error.Should().Contain($"nobody answered on {Subjects.QueryStatus} at {nats.Url}");
    }

    [Fact]
    public async Task Unreachable_nats_exits_3_naming_the_url()
    {
        var run = await CtlRun.RunAsync("status", "--nats-url", "nats://127.0.0.1:1", "--timeout", "1");

        run.ExitCode.Should().Be(CtlExitCodes.NatsUnreachable);
        run.Error.Should().Contain("cannot reach NATS at nats://127.0.0.1:1");
    }

    [Fact]
    public async Task Nodes_lists_each_heartbeating_node_with_its_link()
    {
        await using var bus = new NatsEventBus(new NatsOptions { Urls = { nats.Url } });
        await bus.ConnectAsync();
        var run = await RunAsyncWithHeartbeats(bus);

        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        run.Output.Should().MatchRegex(@"node-h\s*│\s*\d+ ms ago\s*│\s*eth0\s*│\s*up \(up\)\s*│\s*192\.0\.2\.0/24\s*│\s*yes\s*│\s*\?");
        run.Output.Should().Contain("the Allocator did not answer");
    }

    private async Task<CtlRun> RunAsyncWithHeartbeats(NatsEventBus bus)
    {
        using var stop = new CancellationTokenSource();
        var heartbeat = new NodeHeartbeat("node-h", "eth0", ["192.0.2.0/24"], new LinkState(true, "up", true), new Dictionary<string, string>(), true,
            DateTimeOffset.UtcNow, "start-1");
        var beating = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await bus.PublishAsync(Subjects.Heartbeat("node-h"), CloudEventCodec.Encode(EventTypes.NodeHeartbeat, heartbeat, EventSources.NodeAgent("node-h")));
                await Task.Delay(100, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        try
        {
            return await CtlRun.RunAsync("nodes", "--nats-url", nats.Url, "--listen", "1", "--timeout", "0.5");
        }
        finally
        {
            await stop.CancelAsync();
            await beating;
        }
    }

    private static async Task<CtlRun> RunUntilAnsweredAsync(params string[] args)
    {
        // The responder subscribes in the background; a request sent before the server has the subscription is
        // unanswered (at once: the server reports "no responders"), so ask again for up to 10 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var run = await CtlRun.RunAsync(args);
            if (run.ExitCode != CtlExitCodes.NoAnswer || DateTime.UtcNow > deadline)
            {
                return run;
            }
        }
    }

    private sealed class RecordingDeath : INodeDeath
    {
        public TaskCompletionSource<string> Died { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DieAsync(string reason)
        {
            Died.TrySetResult(reason);
            return Task.CompletedTask;
        }
    }
}
