using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Service;
using Beacon.Announcer.Tests.Convergence;
using Beacon.Contracts;
using Beacon.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests.Service;

/// <summary>
/// After each successful apply a routing mode reports, per address, the BGP peers its route goes to (for the
/// Allocator's ServiceBGPStatus): changes only, everything again when asked, nothing for a failed apply.
/// </summary>
public sealed class HandOffReportingModeTests
{
    [Fact]
    public async Task Reports_each_addresss_peers_once_then_only_changes_and_everything_again_when_asked()
    {
        var bus = new RecordingBus();
        var mode = new HandOffReportingMode(new RecordingMode(), bus, "node1", NullLogger.Instance);
        var both = Set(Address("198.19.10.5", "tor-b", "tor-a"), Address("198.19.10.6"));

        (await mode.ApplyAsync(both, default)).Succeeded.Should().BeTrue();
        bus.Reports.Select(r => (r.Address, string.Join(",", r.Peers!))).Should().Equal(("198.19.10.5", "tor-a,tor-b"), ("198.19.10.6", ""));
        bus.Reports.Should().AllSatisfy(r => r.Should().Match<Announcement>(a => a.Node == "node1" && a.Role == AnnouncementRole.Member && a.Service == new ServiceKey("demo", "web")));
        bus.Subjects.Should().AllBe(Subjects.Announcements("node1"));

        bus.Clear();
        await mode.ApplyAsync(both, default);
        bus.Reports.Should().BeEmpty("nothing changed");

        await mode.ApplyAsync(Set(Address("198.19.10.5", "tor-a"), Address("198.19.10.6")), default);
        bus.Reports.Select(r => (r.Address, string.Join(",", r.Peers!))).Should().Equal(("198.19.10.5", "tor-a"));

        bus.Clear();
        mode.ReportAllAgain();
        await mode.ApplyAsync(Set(Address("198.19.10.5", "tor-a"), Address("198.19.10.6")), default);
        bus.Reports.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_failed_apply_reports_nothing()
    {
        var bus = new RecordingBus();
        var mode = new HandOffReportingMode(new RecordingMode(failures: 1), bus, "node1", NullLogger.Instance);

        (await mode.ApplyAsync(Set(Address("198.19.10.5", "tor-a")), default)).Succeeded.Should().BeFalse();

        bus.Reports.Should().BeEmpty("the daemon did not take the routes");
    }

    private static AnnouncementSet Set(params AnnouncedAddress[] addresses) => new(addresses);

    private static AnnouncedAddress Address(string address, params string[] peers) => new(
        "demo/web", IPAddress.Parse(address), null, AddressKind.KubeLb0, "kube-lb0", BgpAttributes.None,
        [.. peers.Select(p => new PeerAdvertisement(p, BgpAttributes.None))]);

    private sealed class RecordingBus : IEventBus
    {
        private readonly List<(string Subject, Announcement Report)> _sent = [];

        public IReadOnlyList<Announcement> Reports => [.. _sent.Select(s => s.Report)];

        public IReadOnlyList<string> Subjects => [.. _sent.Select(s => s.Subject)];

        public BusConnectionState State => BusConnectionState.Connected;

        public event EventHandler<BusStateChangedEventArgs>? StateChanged { add { } remove { } }

        public void Clear() => _sent.Clear();

        public Task ConnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default)
        {
            _sent.Add((subject, CloudEventCodec.Decode(payload.Span, EventTypes.Announcement).Value!));
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
