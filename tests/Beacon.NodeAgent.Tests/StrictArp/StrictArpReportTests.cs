using System.Threading.Channels;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Bus;
using Beacon.NodeAgent.Kernel;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.NodeAgent.Tests.Arp;

/// <summary>
/// The node's strictARP finding travels in its status on the bus (the Allocator names the node in a Kubernetes Event):
/// set when found, cleared when fixed, and a status goes out only when the finding changes.
/// </summary>
public sealed class StrictArpReportTests : IDisposable
{
    private readonly string proc = Directory.CreateTempSubdirectory("bcn-proc-").FullName;

    [Fact]
    public void The_watch_reports_the_finding_when_found_and_null_once_fixed_signalling_only_changes()
    {
        var finding = new StrictArpFinding();
        var signals = 0;
        finding.Changed += (_, _) => signals++;
        var watch = new StrictArpWatch("eth0", new ArpSettingsReader(proc), StrictArpWatch.NewFlag(), TimeProvider.System,
            NullLogger<StrictArpWatch>.Instance, finding);

        Node(ipvs: true, arpIgnore: 0, arpAnnounce: 0);
        watch.CheckOnce();
        finding.Problem.Should().Contain("kube-ipvs0").And.Contain("strictARP: true");
        watch.CheckOnce();
        signals.Should().Be(1, "the same finding twice is no change");

        Node(ipvs: true, arpIgnore: 1, arpAnnounce: 2);
        watch.CheckOnce();
        finding.Problem.Should().BeNull();
        signals.Should().Be(2);
    }

    [Fact]
    public async Task The_watch_checks_the_interface_the_agent_announces_on_and_again_at_once_when_it_changes()
    {
        // strictARP set on eth0 only (per interface): safe while the agent announces on eth0, not on the
        // LBNodeAgent's eth1 the agent resolves later.
        Node(ipvs: true, arpIgnore: 0, arpAnnounce: 0);
        Interface("eth0", arpIgnore: 1, arpAnnounce: 2);
        var finding = new StrictArpFinding();
        var found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        finding.Changed += (_, _) => found.TrySetResult(finding.Problem);
        var announcing = new AnnouncingInterfaces("eth0");
        using var watch = new StrictArpWatch(announcing, new ArpSettingsReader(proc), StrictArpWatch.NewFlag(), TimeProvider.System,
            NullLogger<StrictArpWatch>.Instance, finding);
        watch.CheckOnce().Should().BeNull("eth0 carries strictARP's settings");
        await watch.StartAsync(CancellationToken.None);

        announcing.Set(["eth1"]);

        (await found.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().Contain("arp_ignore=0");
        watch.Flag.Check().IsReady.Should().BeFalse();
        await watch.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void A_node_without_ipvs_reports_nothing_and_signals_nothing()
    {
        var finding = new StrictArpFinding();
        var signals = 0;
        finding.Changed += (_, _) => signals++;
        Node(ipvs: false, arpIgnore: 0, arpAnnounce: 0);

        new StrictArpWatch("eth0", new ArpSettingsReader(proc), StrictArpWatch.NewFlag(), TimeProvider.System, NullLogger<StrictArpWatch>.Instance, finding)
            .CheckOnce();

        finding.Problem.Should().BeNull();
        signals.Should().Be(0);
    }

    [Fact]
    public void The_status_carries_the_finding_beside_what_the_node_holds()
    {
        var holdings = new NodeHoldings();
        holdings.Apply(new Announcement("n1", new ServiceKey("default", "web"), "192.168.1.240", "eth0", AnnouncementRole.Owner, "elected", DateTimeOffset.UnixEpoch));

        var status = holdings.Status("n1", DateTimeOffset.UnixEpoch, "kube-proxy runs in IPVS mode without strictARP");

        status.Holding.Should().ContainSingle();
        status.StrictArpProblem.Should().Be("kube-proxy runs in IPVS mode without strictARP");
        holdings.Status("n1", DateTimeOffset.UnixEpoch).StrictArpProblem.Should().BeNull();
    }

    [Fact]
    public async Task A_changed_finding_publishes_the_node_status_again_with_it()
    {
        var bus = new RecordingBus();
        var finding = new StrictArpFinding();
        await using var sink = new BusAnnouncementSink(bus, "n1", finding);
        (await bus.NextStatusAsync()).StrictArpProblem.Should().BeNull("a started agent holds nothing and has found nothing yet");

        finding.Set("kube-proxy runs in IPVS mode without strictARP; fix: strictARP: true");
        (await bus.NextStatusAsync()).StrictArpProblem.Should().Be("kube-proxy runs in IPVS mode without strictARP; fix: strictARP: true");

        finding.Set(null);
        (await bus.NextStatusAsync()).StrictArpProblem.Should().BeNull();
    }

    [Fact]
    public void A_status_from_an_agent_before_the_field_existed_decodes_with_no_finding()
    {
        var payload = """
            {"specversion":"1.0","id":"1","source":"/beacon/nodeagent/n1","type":"io.beacon.node.status.v1","subject":"n1",
             "datacontenttype":"application/json","data":{"node":"n1","holding":[],"at":"2026-11-21T23:50:00+00:00"}}
            """u8.ToArray();

        var decoded = CloudEventCodec.Decode(payload, EventTypes.NodeStatus);

        decoded.Error.Should().BeNull();
        decoded.Value!.StrictArpProblem.Should().BeNull();
    }

    public void Dispose() => Directory.Delete(proc, recursive: true);

    private void Node(bool ipvs, int arpIgnore, int arpAnnounce)
    {
        var net = Directory.CreateDirectory(Path.Combine(proc, "thread-self", "net")).FullName;
        File.WriteAllText(Path.Combine(net, "dev"),
            "Inter-|   Receive\n face |bytes\n    lo: 0 0\n  eth0: 0 0\n" + (ipvs ? "kube-ipvs0: 0 0\n" : string.Empty));
        var all = Directory.CreateDirectory(Path.Combine(proc, "sys", "net", "ipv4", "conf", "all")).FullName;
        File.WriteAllText(Path.Combine(all, "arp_ignore"), $"{arpIgnore}\n");
        File.WriteAllText(Path.Combine(all, "arp_announce"), $"{arpAnnounce}\n");
    }

    private void Interface(string name, int arpIgnore, int arpAnnounce)
    {
        var conf = Directory.CreateDirectory(Path.Combine(proc, "sys", "net", "ipv4", "conf", name)).FullName;
        File.WriteAllText(Path.Combine(conf, "arp_ignore"), $"{arpIgnore}\n");
        File.WriteAllText(Path.Combine(conf, "arp_announce"), $"{arpAnnounce}\n");
    }

    /// <summary>A connected bus that keeps the node statuses published on it.</summary>
    private sealed class RecordingBus : IEventBus
    {
        private readonly Channel<NodeStatusReport> statuses = Channel.CreateUnbounded<NodeStatusReport>();

        public BusConnectionState State => BusConnectionState.Connected;

        public event EventHandler<BusStateChangedEventArgs>? StateChanged { add { } remove { } }

        public async Task<NodeStatusReport> NextStatusAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await statuses.Reader.ReadAsync(timeout.Token);
        }

        public Task ConnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default)
        {
            if (subject == Subjects.NodeStatus("n1"))
            {
                statuses.Writer.TryWrite(CloudEventCodec.Decode(payload.Span, EventTypes.NodeStatus).Value!);
            }

            return ValueTask.FromResult(true);
        }

        public ValueTask<IAsyncDisposable> SubscribeAsync(string subject, Func<BusMessage, CancellationToken, ValueTask> handler, string? queueGroup = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<BusMessage> RequestAsync(string subject, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => Task.FromResult(true);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
