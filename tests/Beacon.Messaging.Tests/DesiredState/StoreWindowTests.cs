using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using NATS.Client.Core;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>The window of stored publishes in flight: order, a bounded window, failures reported, shutdown that never hangs.</summary>
public sealed class StoreWindowTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Messages_go_out_in_call_order_with_no_more_acks_pending_than_the_window_and_are_reported_in_that_order()
    {
        var log = new WindowLog();
        await using var window = new StoreWindow(log.SendAsync, size: 3, TimeSpan.FromSeconds(30), log.Stored, log.Failed);
        for (var i = 0; i < 3; i++)
        {
            (await window.SendAsync(Key(i), "s" + i, [], CancellationToken.None)).Should().BeTrue();
        }

        var fourth = window.SendAsync(Key(3), "s3", [], CancellationToken.None).AsTask();
        fourth.IsCompleted.Should().BeFalse("three acks are pending in a window of three");
        window.InFlight.Should().Be(3);

        // The second ack arrives first; the first is still checked first.
        log.Pending[1].Ack(2);
        log.Pending[0].Ack(1);
        (await fourth.WaitAsync(Within)).Should().BeTrue();
        log.Pending[2].Ack(3);
        log.Pending[3].Ack(4);
        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);

        log.Sent.Should().Equal("s0", "s1", "s2", "s3");
        log.Outcomes.Should().Equal("stored ns/svc-0 at 1", "stored ns/svc-1 at 2", "stored ns/svc-2 at 3", "stored ns/svc-3 at 4");
        window.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task A_refused_store_is_reported_for_its_service_alone_and_later_ones_are_still_stored()
    {
        var log = new WindowLog();
        await using var window = new StoreWindow(log.SendAsync, size: 8, TimeSpan.FromSeconds(30), log.Stored, log.Failed);
        for (var i = 0; i < 3; i++)
        {
            await window.SendAsync(Key(i), "s" + i, [], CancellationToken.None);
        }

        log.Pending[0].Ack(1);
        log.Pending[1].Refuse("maximum message size exceeded");
        log.Pending[2].Ack(2);
        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);

        log.Outcomes.Should().Equal("stored ns/svc-0 at 1", "failed ns/svc-1: maximum message size exceeded", "stored ns/svc-2 at 2");
    }

    [Fact]
    public async Task A_message_that_cannot_be_sent_frees_its_slot_and_says_so()
    {
        var log = new WindowLog { SendFails = true };
        await using var window = new StoreWindow(log.SendAsync, size: 1, TimeSpan.FromSeconds(30), log.Stored, log.Failed);

        (await window.SendAsync(Key(0), "s0", [], CancellationToken.None)).Should().BeFalse();
        (await window.SendAsync(Key(1), "s1", [], CancellationToken.None).AsTask().WaitAsync(Within)).Should().BeFalse("the failed send gave its slot back");
        window.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task An_ack_that_never_comes_is_reported_failed_after_the_timeout_and_disposal_does_not_wait_for_it()
    {
        var log = new WindowLog();
        var window = new StoreWindow(log.SendAsync, size: 4, TimeSpan.FromMilliseconds(300), log.Stored, log.Failed);
        await window.SendAsync(Key(0), "s0", [], CancellationToken.None);
        await window.SendAsync(Key(1), "s1", [], CancellationToken.None);

        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);
        log.Outcomes.Should().HaveCount(2).And.AllSatisfy(o => o.Should().StartWith("failed").And.Contain("no acknowledgement"));

        await window.SendAsync(Key(2), "s2", [], CancellationToken.None);
        await window.DisposeAsync().AsTask().WaitAsync(Within);
        log.Outcomes.Should().HaveCount(3);
        log.Pending.Should().OnlyContain(p => p.Disposed, "every pending ack is released, answered or not");
    }

    [Fact]
    public async Task Disposal_returns_even_when_a_pending_ack_ignores_cancellation()
    {
        var log = new WindowLog { IgnoreCancellation = true };
        var window = new StoreWindow(log.SendAsync, size: 4, TimeSpan.FromMilliseconds(200), log.Stored, log.Failed);
        await window.SendAsync(Key(0), "s0", [], CancellationToken.None);

        await window.DisposeAsync().AsTask().WaitAsync(Within);
        log.Pending[0].Ack(1);
    }

    [Theory]
    [InlineData(ReleaseBehaviour.Hangs)]
    [InlineData(ReleaseBehaviour.Throws)]
    public async Task A_pending_ack_whose_release_hangs_or_throws_after_its_server_died_does_not_stop_later_stores(ReleaseBehaviour release)
    {
        // The cluster lab's stream-leader kill: the ack fails or never comes, and releasing it (disposing its reply
        // subscription) throws NatsNoRespondersException, or does not return. The window must go on, or the publisher
        // never stores anything again.
        var log = new WindowLog { IgnoreCancellation = true, Release = release };
        await using var window = new StoreWindow(log.SendAsync, size: 1, TimeSpan.FromMilliseconds(200), log.Stored, log.Failed);
        (await window.SendAsync(Key(0), "s0", [], CancellationToken.None)).Should().BeTrue();

        (await window.SendAsync(Key(1), "s1", [], CancellationToken.None).AsTask().WaitAsync(Within)).Should().BeTrue("the dead store's slot is given back at its deadline");
        log.Pending[1].Ack(7);
        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);
        (await window.SendAsync(Key(0), "s0", [], CancellationToken.None).AsTask().WaitAsync(Within)).Should().BeTrue();
        log.Pending[2].Ack(8);
        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);

        log.Outcomes.Should().Equal("failed ns/svc-0: no acknowledgement within 0.2 s", "stored ns/svc-1 at 7", "stored ns/svc-0 at 8");
        window.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task A_callback_that_throws_does_not_end_the_ack_checks()
    {
        var outcomes = new List<string>();
        var log = new WindowLog();
        await using var window = new StoreWindow(
            log.SendAsync,
            size: 1,
            TimeSpan.FromSeconds(30),
            (service, sequence) => { lock (outcomes) { outcomes.Add("stored " + service); } },
            (service, error) => throw new InvalidOperationException("callback failed"));
        await window.SendAsync(Key(0), "s0", [], CancellationToken.None);
        log.Pending[0].Refuse("refused");
        (await window.SendAsync(Key(1), "s1", [], CancellationToken.None).AsTask().WaitAsync(Within)).Should().BeTrue();
        log.Pending[1].Ack(1);
        await window.DrainAsync(CancellationToken.None).WaitAsync(Within);
        outcomes.Should().Equal("stored ns/svc-1");
    }

    private static ServiceKey Key(int i) => new("ns", "svc-" + i);

    public enum ReleaseBehaviour
    {
        Completes,
        Hangs,
        Throws,
    }

    private sealed class WindowLog
    {
        private readonly Lock _lock = new();

        public bool SendFails { get; init; }

        public bool IgnoreCancellation { get; init; }

        public ReleaseBehaviour Release { get; init; }

        public List<FakePending> Pending { get; } = [];

        public List<string> Sent { get; } = [];

        public List<string> Outcomes { get; } = [];

        public ValueTask<IPendingStore> SendAsync(string subject, byte[] payload, CancellationToken cancellationToken)
        {
            if (SendFails)
            {
                throw new NatsException("not connected");
            }

            lock (_lock)
            {
                var pending = new FakePending(IgnoreCancellation, Release);
                Pending.Add(pending);
                Sent.Add(subject);
                return ValueTask.FromResult<IPendingStore>(pending);
            }
        }

        public void Stored(ServiceKey service, ulong sequence)
        {
            lock (_lock)
            {
                Outcomes.Add($"stored {service} at {sequence}");
            }
        }

        public void Failed(ServiceKey service, string error)
        {
            lock (_lock)
            {
                Outcomes.Add($"failed {service}: {error}");
            }
        }
    }

    private sealed class FakePending(bool ignoreCancellation, ReleaseBehaviour release) : IPendingStore
    {
        private readonly TaskCompletionSource<ulong> _ack = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Disposed { get; private set; }

        public void Ack(ulong sequence) => _ack.TrySetResult(sequence);

        public void Refuse(string error) => _ack.TrySetException(new NatsException(error));

        public async ValueTask<ulong> AckedAsync(CancellationToken cancellationToken) =>
            ignoreCancellation ? await _ack.Task : await _ack.Task.WaitAsync(cancellationToken);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return release switch
            {
                ReleaseBehaviour.Hangs => new ValueTask(new TaskCompletionSource().Task),
                // What NATS.Net does when a request subscription ended with no responders (its server died).
                ReleaseBehaviour.Throws => ValueTask.FromException(new NatsNoRespondersException()),
                _ => ValueTask.CompletedTask,
            };
        }
    }
}
