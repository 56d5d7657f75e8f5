using System.Text.Json;
using Beacon.Contracts;
using Beacon.Messaging.Nats;
using Microsoft.Extensions.Logging;

namespace Beacon.Messaging.Streams;

/// <summary>
/// A whole set of named cluster objects as this process last read it from a last-value stream (the Allocator publishes
/// each set with <c>LastValuePublisher</c>): unknown (null) until the first valid message, then each message replaces
/// the whole set (an object missing from it was deleted). A message that does not decode, arrives on another subject,
/// holds a null entry or names one object twice (a missing required field already fails decoding) leaves the set as it was; the reader counts and logs it.
/// Read at start (the stored last value, also after every reconnect) and live. Thread-safe: the stream reader writes,
/// the consumer reads. One subclass per set (the BGP peers, the LBNodeAgents) says what the set is.
/// </summary>
public abstract class LastValueSet<TSet, TItem>
    where TSet : class
    where TItem : class
{
    private readonly string stream;
    private readonly string subject;
    private readonly EventType<TSet> type;
    private readonly string what;
    private readonly Func<TSet, IReadOnlyList<TItem?>?> items;
    private readonly Func<TItem, string?> name;
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private State? _current;

    /// <param name="stream">The stream it is stored in.</param>
    /// <param name="subject">The one subject of the set.</param>
    /// <param name="type">The set's event type.</param>
    /// <param name="what">The objects, for messages ("BGP peer", "LBNodeAgent").</param>
    /// <param name="items">The objects of a decoded set; null when the set has none at all (malformed).</param>
    /// <param name="name">An object's name, unique in a set.</param>
    protected LastValueSet(
        string stream, string subject, EventType<TSet> type, string what, Func<TSet, IReadOnlyList<TItem?>?> items, Func<TItem, string?> name)
    {
        this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
        this.subject = subject ?? throw new ArgumentNullException(nameof(subject));
        this.type = type ?? throw new ArgumentNullException(nameof(type));
        this.what = what ?? throw new ArgumentNullException(nameof(what));
        this.items = items ?? throw new ArgumentNullException(nameof(items));
        this.name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>Raised after the set changed (not for a message repeating the same set).</summary>
    public event EventHandler? Changed;

    /// <summary>Raised for every valid set, changed or not (the Allocator republishes at each leadership term).</summary>
    public event EventHandler? Received;

    /// <summary>The objects, or null while no set has been read.</summary>
    public IReadOnlyList<TItem>? Current => Volatile.Read(ref _current)?.Items;

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
            stream,
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
    /// passed; true when read. Bounded so that a missing Allocator or bus never keeps a process from starting.
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
        bool changed;
        lock (_gate)
        {
            var (next, error) = Reduce(_current, message);
            if (error is not null)
            {
                return error;
            }

            changed = !ReferenceEquals(next, _current);
            Volatile.Write(ref _current, next);
        }

        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        Received?.Invoke(this, EventArgs.Empty);
        _firstRound.TrySetResult();
        return null;
    }

    private (State? Next, DecodeError? Error) Reduce(State? current, BusMessage message)
    {
        if (message.Subject != subject)
        {
            return (current, new DecodeError(DecodeErrorKind.SubjectMismatch, $"{what} settings arrived on {message.Subject}, not {subject}"));
        }

        var decoded = CloudEventCodec.Decode(message.Payload.Span, type);
        if (decoded.Error is { } error)
        {
            return (current, error);
        }

        var set = decoded.Value!;
        var objects = items(set);
        if (objects is null || objects.Any(o => o is null || name(o) is null))
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, $"the {what} set holds an incomplete entry"));
        }

        var duplicate = objects.GroupBy(o => name(o!), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, $"{what} '{duplicate.Key}' appears twice in one set"));
        }

        // Compared as the publisher compares (serialised), so a republished equal set is no change.
        var json = JsonSerializer.SerializeToUtf8Bytes(set, type.TypeInfo);
        if (current is not null && current.Json.AsSpan().SequenceEqual(json))
        {
            return (current, null);
        }

        return (new State([.. objects.Select(o => o!)], json), null);
    }

    private sealed record State(IReadOnlyList<TItem> Items, byte[] Json);
}
