using System.Threading.Channels;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Allocator.Standalone;
using Beacon.Allocator.Tests.Controller;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.NodeAgents;

/// <summary>The allocation loop hands the LBNodeAgent set to the sink when its term starts and whenever the objects change.</summary>
public sealed class NodeAgentConfigLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static IReadOnlyList<Beacon.Allocator.Formats.ForeignResource> Read(string yaml) => ManifestCatalog.Build([("agents.yaml", yaml)]).ForeignResources;

    [Fact]
    public async Task The_set_goes_out_at_the_start_of_a_term_and_again_when_an_LBNodeAgent_changes()
    {
        var source = new InMemoryAllocatorSource
        {
            Foreign = Read("""
                apiVersion: purelb.io/v1
                kind: LBNodeAgent
                metadata: { name: default, namespace: purelb }
                spec: { local: { localint: eth1, sendgarp: false } }
                """),
        };
        var sink = new RecordingConfigSink();
        var queue = new WorkQueue();
        var loop = new AllocationLoop(source, new RecordingAllocationWriter(), sink, new LoadBalancerClassFilter("beacon.io/beacon", [], true), new AnnouncementTracker(), queue, new CollectingLogger(), TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var term = Task.Run(() => loop.RunTermAsync(stop.Token));

        var first = await sink.Sets.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        first.Should().ContainSingle().Which.Should().Match<NodeAgentConfig>(a => a.Name == "purelb/default" && a.LocalInterface == "eth1" && a.GarpEnabled == false);

        source.Foreign = Read("""
            apiVersion: purelb.io/v2
            kind: LBNodeAgent
            metadata: { name: default, namespace: purelb }
            spec: { local: { localInterface: eth2, garpConfig: { initialDelay: 250ms } } }
            """);
        queue.Add(WorkQueue.Groups);

        var next = await sink.Sets.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        next.Should().ContainSingle().Which.Should().Match<NodeAgentConfig>(a => a.LocalInterface == "eth2" && a.GarpInitialDelayMs == 250 && a.GarpEnabled == null);

        await stop.CancelAsync();
        await term.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private sealed class RecordingConfigSink : IDesiredStateSink
    {
        public Channel<IReadOnlyList<NodeAgentConfig>> Sets { get; } = Channel.CreateUnbounded<IReadOnlyList<NodeAgentConfig>>();

        public Task BeginTermAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task TermConvergedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EndTermAsync() => Task.CompletedTask;

        public Task PublishAsync(AllocationChanged change, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReleaseAsync(ServiceKey service, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PublishNodeAgentConfigAsync(IReadOnlyList<NodeAgentConfig> agents, CancellationToken cancellationToken)
        {
            Sets.Writer.TryWrite(agents);
            return Task.CompletedTask;
        }
    }
}
