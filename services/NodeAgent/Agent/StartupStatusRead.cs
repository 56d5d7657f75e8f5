using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Reads every node's stored status (BEACON_NODES, last value per node) once at start, hands the lot over and stops
/// reading: the agent only needs it to know whose heartbeats to wait for before its warm-up may end early
/// (<see cref="Domain.ExpectedPeers"/>). Without JetStream (another bus) nothing is read and the full warm-up applies.
/// </summary>
public sealed class StartupStatusRead : IAsyncDisposable
{
    private readonly Dictionary<string, NodeStatusReport> _statuses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Action<IReadOnlyList<NodeStatusReport>> _read;
    private readonly DroppedMessageReporter _dropped;
    private LastValueReader? _reader;
    private Task _stopped = Task.CompletedTask;
    private bool _done;

    private StartupStatusRead(Action<IReadOnlyList<NodeStatusReport>> read, DroppedMessageReporter dropped)
    {
        _read = read;
        _dropped = dropped;
    }

    public static StartupStatusRead Start(IEventBus bus, Action<IReadOnlyList<NodeStatusReport>> read, DroppedMessageReporter dropped, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(dropped);
        var status = new StartupStatusRead(read, dropped);
        if (bus is NatsEventBus)
        {
            status._reader = new LastValueReader(bus, BeaconStreams.Nodes, status.OnMessage, status.OnCaughtUp, logger);
            status._reader.Start();
        }

        return status;
    }

    public async ValueTask DisposeAsync()
    {
        LastValueReader? reader;
        lock (_gate)
        {
            reader = _done ? null : _reader;
            _done = true;
        }

        if (reader is not null)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        await _stopped.ConfigureAwait(false);
    }

    private ValueTask OnMessage(BusMessage message, ulong sequence)
    {
        var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeStatus);
        var error = decoded.Error
            ?? (Subjects.TryParseNodeStatus(message.Subject, out var node) && node == decoded.Value!.Node
                ? null
                : new DecodeError(DecodeErrorKind.SubjectMismatch, $"status of node '{decoded.Value!.Node}' arrived on {message.Subject}"));
        if (error is not null)
        {
            _dropped.Dropped(error, message.Subject);
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (!_done)
            {
                _statuses[decoded.Value!.Node] = decoded.Value; // after the hand-over nobody reads them
            }
        }

        return ValueTask.CompletedTask;
    }

    private void OnCaughtUp()
    {
        List<NodeStatusReport> statuses;
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            statuses = [.. _statuses.Values];
            // Handed over once: this object lives as long as the agent, the statuses (every held address of every
            // node, thousands of entries with 1,000 Services) need not.
            _statuses.Clear();
            _statuses.TrimExcess();
            // Called from the reader's own round: stop it from outside, or it would wait for itself.
            var reader = _reader!;
            _stopped = Task.Run(async () => await reader.DisposeAsync().ConfigureAwait(false));
        }

        _read(statuses);
    }
}
