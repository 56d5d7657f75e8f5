using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;

namespace Beacon.Ctl;

/// <summary>One connection to NATS for one command; every failure becomes a <see cref="CtlFailure"/> naming the URL and subject.</summary>
public sealed class CtlSession : IAsyncDisposable
{
    private static readonly TimeSpan MinimumConnectTime = TimeSpan.FromSeconds(3);

    private readonly NatsEventBus connection;

    private CtlSession(NatsEventBus connection, string url)
    {
        this.connection = connection;
        Url = url;
    }

    public IEventBus Bus => connection;

    public string Url { get; }

    public static async Task<CtlSession> ConnectAsync(NatsOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = string.Join(",", options.Urls);
        var connection = new NatsEventBus(options);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A short --timeout is about the answer: the first connection also loads and compiles the client, which took
        // over 0.5 s on a busy machine. A refused connection still fails at once.
        var budget = timeout < MinimumConnectTime ? MinimumConnectTime : timeout;
        deadline.CancelAfter(budget);
        try
        {
            await connection.ConnectAsync(deadline.Token).ConfigureAwait(false);
            return new CtlSession(connection, url);
        }
        catch (Exception e) when (e is EventBusUnavailableException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = connection.LastError ?? e.Message;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new CtlFailure(CtlExitCodes.NatsUnreachable, $"cannot reach NATS at {url} within {Seconds(budget)}: {reason}");
        }
    }

    /// <summary>Sends a CloudEvents request and decodes the first reply; no reply in time is a failure naming <paramref name="subject"/>.</summary>
    public async Task<TReply> RequestAsync<TRequest, TReply>(string subject, EventType<TRequest> requestType, TRequest request, EventType<TReply> replyType,
        TimeSpan timeout, string whoAnswers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replyType);
        BusMessage reply;
        try
        {
            reply = await connection.RequestAsync(subject, CloudEventCodec.Encode(requestType, request, EventSources.Beaconctl), timeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CtlFailure(CtlExitCodes.NoAnswer, $"nobody answered on {subject} at {Url} within {Seconds(timeout)}: {whoAnswers}");
        }
        catch (EventBusUnavailableException e)
        {
            throw new CtlFailure(CtlExitCodes.NatsUnreachable, $"lost NATS at {Url} while waiting on {subject}: {e.Message}");
        }

        var decoded = CloudEventCodec.Decode(reply.Payload.Span, replyType);
        if (decoded.Error is { } error)
        {
            throw new CtlFailure(CtlExitCodes.NoAnswer, $"the answer on {subject} is not a {replyType.WireName}: {error.Message}");
        }

        return decoded.Value!;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.#} s";
}
