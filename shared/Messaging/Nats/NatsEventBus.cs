using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Messaging.Nats;

/// <summary>
/// <see cref="IEventBus"/> on NATS.Net: the library speaks the protocol (TLS, auth, NKeys/credentials, cluster
/// discovery, reconnect, resubscription); this class adds what Beacon relies on: a start that never blocks a component
/// while NATS is down, publishes that are refused rather than queued when disconnected, per-subscription handler tasks
/// and counters. <see cref="JetStream"/> gives the stream-backed state to the desired-state and announcement code.
/// </summary>
public sealed partial class NatsEventBus : IEventBus
{
    private readonly NatsOptions _options;
    private readonly ILogger _logger;
    private readonly NatsConnection _connection;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private BusConnectionState _state = BusConnectionState.Connecting;
    private bool _hasConnected;
    private string? _lastError;
    private string? _server;

    public NatsEventBus(NatsOptions options, ILogger<NatsEventBus>? logger = null, MessagingCounters? counters = null, ILoggerFactory? libraryLoggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid NATS options: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Counters = counters ?? new MessagingCounters();
        _connection = new NatsConnection(NatsOptsFactory.Create(options, libraryLoggers));
        _connection.ConnectionOpened += OnOpenedAsync;
        _connection.ConnectionDisconnected += OnDisconnectedAsync;
        _connection.ReconnectFailed += OnReconnectFailedAsync;
        _connection.MessageDropped += OnMessageDroppedAsync;
        _connection.ServerError += OnServerErrorAsync;
        JetStream = new NatsJSContext(_connection);
    }

    public event EventHandler<BusStateChangedEventArgs>? StateChanged;

    public MessagingCounters Counters { get; }

    /// <summary>The library connection, for JetStream and anything else Beacon's interface does not cover.</summary>
    public INatsConnection Connection => _connection;

    public INatsJSContext JetStream { get; }

    public BusConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The last connection failure, for diagnostics ("connection refused", "certificate not trusted", ...).</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts connecting without waiting (idempotent). Components start this way so a down bus never blocks startup.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == BusConnectionState.Closed, this);
            _loop ??= Task.Run(() => FirstConnectAsync(_closing.Token));
        }
    }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        Start();
        Task connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        try
        {
            await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new EventBusUnavailableException(
                $"Could not connect to {string.Join(", ", _options.Urls)}: {LastError ?? "no attempt finished yet"}", ex);
        }
    }

    public async ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        NatsSubjectRules.EnsureValid(subject, allowWildcards: false, nameof(subject));
        if (replyTo is not null)
        {
            NatsSubjectRules.EnsureValid(replyTo, allowWildcards: false, nameof(replyTo));
        }

        EnsureFits(subject, payload.Length);
        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            // Nothing is queued for later: what a component publishes describes the present, and it republishes on reconnect.
            Counters.Increment(MessagingCounter.PublishNotConnected);
            return false;
        }

        try
        {
            await _connection.PublishAsync(subject, payload, replyTo: replyTo, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            Counters.Increment(MessagingCounter.PublishNotConnected);
            return false;
        }

        Counters.Increment(MessagingCounter.Published);
        return true;
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync(
        string subject,
        Func<BusMessage, CancellationToken, ValueTask> handler,
        string? queueGroup = null,
        CancellationToken cancellationToken = default)
    {
        NatsSubjectRules.EnsureValid(subject, allowWildcards: true, nameof(subject));
        ArgumentNullException.ThrowIfNull(handler);
        if (queueGroup is not null && !NatsSubjectRules.IsValid(queueGroup, allowWildcards: false))
        {
            throw new ArgumentException($"'{queueGroup}' is not a valid queue group", nameof(queueGroup));
        }

        ObjectDisposedException.ThrowIf(State == BusConnectionState.Closed, this);
        var subscription = new NatsEventSubscription(_connection, ConnectAsync, subject, queueGroup, handler, _options, Counters, _logger);
        if (_connection.ConnectionState == NatsConnectionState.Open)
        {
            await subscription.Registered.WaitAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            await FlushAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }

        return subscription;
    }

    public async Task<BusMessage> RequestAsync(string subject, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        NatsSubjectRules.EnsureValid(subject, allowWildcards: false, nameof(subject));
        EnsureFits(subject, payload.Length);
        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            throw new EventBusUnavailableException($"Not connected to NATS; request on {subject} not sent");
        }

        try
        {
            var reply = await _connection.RequestAsync<ReadOnlyMemory<byte>, byte[]>(
                subject,
                payload,
                replyOpts: new NatsSubOpts { Timeout = timeout, ThrowIfNoResponders = false },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reply.HasNoResponders)
            {
                // Same as nobody answering in time: callers treat both as "the responder is not there".
                throw new TimeoutException($"No reply on {subject}: no responders");
            }

            return new BusMessage(reply.Subject, reply.ReplyTo, reply.Data ?? []);
        }
        catch (NatsNoReplyException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"No reply on {subject} within {timeout.TotalMilliseconds:0} ms"));
        }
        catch (NatsException ex)
        {
            throw new EventBusUnavailableException($"Request on {subject} failed: {ex.Message}", ex);
        }
    }

    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            return false;
        }

        try
        {
            await _connection.PingAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or NatsException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_state == BusConnectionState.Closed)
            {
                return;
            }

            _state = BusConnectionState.Closed;
            loop = _loop;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _connection.ConnectionOpened -= OnOpenedAsync;
        _connection.ConnectionDisconnected -= OnDisconnectedAsync;
        await _connection.DisposeAsync().ConfigureAwait(false);
        _connected.TrySetException(new EventBusUnavailableException("The connection was closed"));
        _connected.Task.Exception?.Handle(_ => true);
        Raise(BusStateChange.Closed, null);
        _closing.Dispose();
    }

    private void EnsureFits(string subject, int length)
    {
        var serverLimit = _connection.ServerInfo?.MaxPayload ?? int.MaxValue;
        var limit = Math.Min(_options.MaxMessageBytes, serverLimit);
        if (length > limit)
        {
            throw new MessageTooLargeException(
                string.Create(CultureInfo.InvariantCulture, $"A {length}-byte message on {subject} exceeds the {limit}-byte limit"));
        }
    }

    /// <summary>The first connection is ours to retry (the library gives up after one pass); after it the library reconnects forever.</summary>
    private async Task FirstConnectAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _connection.ConnectAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NatsException or ObjectDisposedException)
            {
                var error = NatsErrorText.Describe(ex);
                if (Interlocked.Exchange(ref _lastError, error) != error)
                {
                    LogConnectFailed(_logger, string.Join(", ", _options.Urls), error);
                }
            }

            failures++;
            try
            {
                await Task.Delay(NatsOptsFactory.Backoff(_options, failures), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        bool reconnect;
        lock (_gate)
        {
            if (_state == BusConnectionState.Closed)
            {
                return ValueTask.CompletedTask;
            }

            reconnect = _hasConnected;
            _hasConnected = true;
            _state = BusConnectionState.Connected;
            _server = args.Message;
            _connected.TrySetResult();
        }

        Volatile.Write(ref _lastError, null);
        Counters.Increment(reconnect ? MessagingCounter.Reconnects : MessagingCounter.Connects);
        LogConnected(_logger, args.Message, reconnect);
        Raise(reconnect ? BusStateChange.Reconnected : BusStateChange.Connected, null);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        lock (_gate)
        {
            if (_state != BusConnectionState.Connected)
            {
                return ValueTask.CompletedTask;
            }

            _state = BusConnectionState.Disconnected;
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Counters.Increment(MessagingCounter.Disconnects);
        LogDisconnected(_logger, _server ?? "?", args.Message);
        Raise(BusStateChange.Disconnected, args.Message);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnReconnectFailedAsync(object? sender, NatsEventArgs args)
    {
        Volatile.Write(ref _lastError, args.Message);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnMessageDroppedAsync(object? sender, NatsMessageDroppedEventArgs args)
    {
        Counters.Increment(MessagingCounter.SlowConsumerDropped);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnServerErrorAsync(object? sender, NatsServerErrorEventArgs args)
    {
        // The server keeps the connection after a permissions violation: counted and logged, never fatal.
        if (args.Error.Contains("Permissions Violation", StringComparison.OrdinalIgnoreCase))
        {
            Counters.Increment(MessagingCounter.PermissionViolation);
            LogPermissionViolation(_logger, args.Error);
        }

        return ValueTask.CompletedTask;
    }

    private void Raise(BusStateChange change, string? error)
    {
        try
        {
            StateChanged?.Invoke(this, new BusStateChangedEventArgs(change, State, _server, error));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStateHandlerFailed(_logger, ex, change);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to NATS at {Server} (reconnect: {Reconnect})")]
    private static partial void LogConnected(ILogger logger, string server, bool reconnect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the NATS connection to {Server}: {Error}; reconnecting (state is kept)")]
    private static partial void LogDisconnected(ILogger logger, string server, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to NATS at {Server}: {Error}; retrying")]
    private static partial void LogConnectFailed(ILogger logger, string server, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS refused an operation: {Error} (check this component's permissions)")]
    private static partial void LogPermissionViolation(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Change} connection-state handler failed")]
    private static partial void LogStateHandlerFailed(ILogger logger, Exception exception, BusStateChange change);
}
