using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Bus;

/// <summary>
/// The cluster's LBNodeAgents as this node last read them from BEACON_NODEAGENT_CONFIG (published by the Allocator):
/// unknown (null) until the first valid message, then each message replaces the whole set. Read at start (the stored
/// last value, also after every reconnect) and live. A message that does not decode, arrives on another subject or
/// names one object twice leaves the set as it was and is counted and logged. Thread-safe: the stream reader writes,
/// the agent loop reads.
/// </summary>
public sealed class NodeAgentConfigFeed
{
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<NodeAgentConfig>? _current;

    /// <summary>Raised after the set changed (not for a message repeating the same set).</summary>
    public event EventHandler? Changed;

    /// <summary>The objects, or null while no set has been read.</summary>
    public IReadOnlyList<NodeAgentConfig>? Current => Volatile.Read(ref _current);

    /// <summary>Starts reading the stream; null when the bus is not NATS (nothing to read from).</summary>
    public IAsyncDisposable? Start(IEventBus bus, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (bus is not NatsEventBus)
        {
            _firstRound.TrySetResult();
            return null;
        }

        var reporter = new DroppedMessageReporter(logger, new MessagingCounters());
        var reader = new LastValueReader(
            bus,
            BeaconStreams.NodeAgentConfig,
            (message, _) =>
            {
                if (Apply(message) is { } error)
                {
                    reporter.Dropped(error, message.Subject);
                }

                return ValueTask.CompletedTask;
            },
            () => _firstRound.TrySetResult(),
            logger);
        reader.Start();
        return reader;
    }

    /// <summary>
    /// Waits until the stream has been read through once (the stored set, or none stored) or <paramref name="timeout"/>
    /// passed; true when read. Bounded so that a missing Allocator or bus never keeps a node agent from starting.
    /// </summary>
    public async Task<bool> WaitFirstReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _firstRound.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Applies one message of the stream; returns why it was refused, or null.</summary>
    public DecodeError? Apply(BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (next, error) = Reduce(Current, message);
        if (error is not null)
        {
            return error;
        }

        if (!ReferenceEquals(next, Current))
        {
            Volatile.Write(ref _current, next);
            Changed?.Invoke(this, EventArgs.Empty);
        }

        _firstRound.TrySetResult();
        return null;
    }

    /// <summary>The set after <paramref name="message"/>: its objects, or <paramref name="current"/> (same reference) when refused or unchanged. Pure.</summary>
    public static (IReadOnlyList<NodeAgentConfig>? Next, DecodeError? Error) Reduce(IReadOnlyList<NodeAgentConfig>? current, BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Subject != Subjects.NodeAgentConfig)
        {
            return (current, new DecodeError(DecodeErrorKind.SubjectMismatch, $"LBNodeAgent settings arrived on {message.Subject}, not {Subjects.NodeAgentConfig}"));
        }

        var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeAgentConfig);
        if (decoded.Error is { } error)
        {
            return (current, error);
        }

        var agents = decoded.Value!.Agents;
        if (agents is null || agents.Any(a => a is null || a.Name is null || a.Interfaces is null))
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, "the LBNodeAgent set holds an incomplete entry"));
        }

        var duplicate = agents.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, $"LBNodeAgent '{duplicate.Key}' appears twice in one set"));
        }

        return current is not null && Same(current, agents) ? (current, null) : (agents, null);
    }

    private static bool Same(IReadOnlyList<NodeAgentConfig> a, IReadOnlyList<NodeAgentConfig> b) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new NodeAgentConfigSet(a), ContractsJsonContext.Default.NodeAgentConfigSet).AsSpan()
            .SequenceEqual(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new NodeAgentConfigSet(b), ContractsJsonContext.Default.NodeAgentConfigSet));
}
