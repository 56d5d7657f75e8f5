using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Messaging.Nats;

/// <summary>
/// Beacon's own NATS client (core text protocol: INFO, CONNECT, PUB, SUB, UNSUB, MSG, PING/PONG, +OK/-ERR), with TLS,
/// user/password or token auth, endless reconnect with backoff, resubscription, and request/reply over one inbox.
/// A permissions violation is counted and logged, never fatal (see docs/dependencies.md for why not NATS.Client 0.8.0).
/// </summary>
public sealed partial class NatsConnection : IEventBus
{
    private const int MaxInfoLine = 64 * 1024;
    private readonly NatsOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, NatsSubscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BusMessage>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _loggedPermissionErrors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<bool> _writeSignal =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Queue<TaskCompletionSource<bool>?> _pongWaiters = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _inboxGate = new(1, 1);
    private readonly string _inboxPrefix = "_INBOX." + Guid.NewGuid().ToString("N") + ".";
    private readonly X509Certificate2Collection? _trustedCa;
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private BusConnectionState _state = BusConnectionState.Connecting;
    private bool _hasConnected;
    private long _serverMaxPayload = int.MaxValue;
    private long _nextSid;
    private long _nextRequest;
    private int _pingsOutstanding;
    private IAsyncDisposable? _inbox;
    private string? _lastError;
    private string? _tlsFailure;
    private string? _server;

    public NatsConnection(NatsOptions options, ILogger<NatsConnection>? logger = null, MessagingCounters? counters = null)
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
        if (options.TlsCaFile is not null)
        {
            _trustedCa = [];
            _trustedCa.ImportFromPemFile(options.TlsCaFile);
        }
    }

    public event EventHandler<BusStateChangedEventArgs>? StateChanged;

    public MessagingCounters Counters { get; }

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

    /// <summary>Starts the connection loop without waiting (idempotent). Components start this way so a down bus never blocks startup.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == BusConnectionState.Closed, this);
            _loop ??= Task.Run(() => RunAsync(_closing.Token));
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
            await connected.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new EventBusUnavailableException(
                $"Could not connect to {string.Join(", ", _options.Urls)}: {LastError ?? "no attempt finished yet"}", ex);
        }
    }

    public ValueTask<bool> PublishAsync(string subject, ReadOnlyMemory<byte> payload, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        NatsSubjectRules.EnsureValid(subject, allowWildcards: false, nameof(subject));
        if (replyTo is not null)
        {
            NatsSubjectRules.EnsureValid(replyTo, allowWildcards: false, nameof(replyTo));
        }

        var limit = Math.Min(_options.MaxMessageBytes, Interlocked.Read(ref _serverMaxPayload));
        if (payload.Length > limit)
        {
            throw new MessageTooLargeException(
                string.Create(CultureInfo.InvariantCulture, $"A {payload.Length}-byte message on {subject} exceeds the {limit}-byte limit"));
        }

        lock (_gate)
        {
            if (_state != BusConnectionState.Connected)
            {
                Counters.Increment(MessagingCounter.PublishNotConnected);
                return ValueTask.FromResult(false);
            }

            if (_pending.WrittenCount + payload.Length > _options.MaxPendingBytes)
            {
                Counters.Increment(MessagingCounter.PublishBufferFull);
                return ValueTask.FromResult(false);
            }

            var header = replyTo is null
                ? string.Create(CultureInfo.InvariantCulture, $"PUB {subject} {payload.Length}\r\n")
                : string.Create(CultureInfo.InvariantCulture, $"PUB {subject} {replyTo} {payload.Length}\r\n");
            Encoding.UTF8.GetBytes(header, _pending);
            _pending.Write(payload.Span);
            _pending.Write("\r\n"u8);
        }

        Counters.Increment(MessagingCounter.Published);
        _writeSignal.Writer.TryWrite(true);
        return ValueTask.FromResult(true);
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

        var subscription = new NatsSubscription(
            Interlocked.Increment(ref _nextSid), subject, queueGroup, handler, _options.SubscriptionCapacity, Unsubscribe, _logger, Counters);
        bool connected;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == BusConnectionState.Closed, this);
            _subscriptions[subscription.Sid] = subscription;
            connected = _state == BusConnectionState.Connected;
            if (connected)
            {
                WriteSubscribe(subscription);
            }
        }

        if (connected)
        {
            _writeSignal.Writer.TryWrite(true);
            await FlushAsync(_options.ConnectTimeout, cancellationToken);
        }

        return subscription;
    }

    public async Task<BusMessage> RequestAsync(string subject, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await EnsureInboxAsync(cancellationToken);
        var inbox = _inboxPrefix + Interlocked.Increment(ref _nextRequest).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<BusMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[inbox] = reply;
        try
        {
            if (!await PublishAsync(subject, payload, inbox, cancellationToken))
            {
                throw new EventBusUnavailableException($"Not connected to NATS; request on {subject} not sent");
            }

            return await reply.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"No reply on {subject} within {timeout.TotalMilliseconds:0} ms"));
        }
        finally
        {
            _requests.TryRemove(inbox, out _);
        }
    }

    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var pong = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_state != BusConnectionState.Connected)
            {
                return false;
            }

            _pongWaiters.Enqueue(pong);
            _pending.Write("PING\r\n"u8);
        }

        _writeSignal.Writer.TryWrite(true);
        try
        {
            return await pong.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
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

        await _closing.CancelAsync();
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        foreach (var subscription in _subscriptions.Values)
        {
            await subscription.DisposeAsync();
        }

        FailRequests("the connection was closed");
        _connected.TrySetException(new EventBusUnavailableException("The connection was closed"));
        _connected.Task.Exception?.Handle(_ => true);
        Raise(BusStateChange.Closed, null);
        _closing.Dispose();
        _inboxGate.Dispose();
    }

    private async Task EnsureInboxAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _inbox) is not null)
        {
            return;
        }

        await _inboxGate.WaitAsync(cancellationToken);
        try
        {
            _inbox ??= await SubscribeAsync(_inboxPrefix + "*", DeliverReply, cancellationToken: cancellationToken);
        }
        finally
        {
            _inboxGate.Release();
        }
    }

    private ValueTask DeliverReply(BusMessage message, CancellationToken cancellationToken)
    {
        if (_requests.TryRemove(message.Subject, out var waiter))
        {
            waiter.TrySetResult(message);
        }

        return ValueTask.CompletedTask;
    }

    private void Unsubscribe(long sid)
    {
        lock (_gate)
        {
            if (_subscriptions.TryRemove(sid, out _) && _state == BusConnectionState.Connected)
            {
                Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"UNSUB {sid}\r\n"), _pending);
            }
        }

        _writeSignal.Writer.TryWrite(true);
    }

    private void WriteSubscribe(NatsSubscription subscription)
    {
        var line = subscription.QueueGroup is null
            ? string.Create(CultureInfo.InvariantCulture, $"SUB {subscription.Subject} {subscription.Sid}\r\n")
            : string.Create(CultureInfo.InvariantCulture, $"SUB {subscription.Subject} {subscription.QueueGroup} {subscription.Sid}\r\n");
        Encoding.UTF8.GetBytes(line, _pending);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var next = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var url = _options.Urls[next++ % _options.Urls.Count];
            string error;
            try
            {
                await RunSessionAsync(new Uri(url), () => failures = 0, cancellationToken);
                error = "the server closed the connection";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                MarkDisconnected(url, "closing");
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                error = Describe(ex);
            }

            var previous = Interlocked.Exchange(ref _lastError, error);
            if (!MarkDisconnected(url, error) && previous != error)
            {
                LogConnectFailed(_logger, url, error);
            }

            failures++;
            try
            {
                await Task.Delay(Backoff(failures), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var min = _options.ReconnectDelayMin.TotalMilliseconds;
        var delay = Math.Min(_options.ReconnectDelayMax.TotalMilliseconds, min * Math.Pow(2, Math.Min(failures - 1, 20)));

        // Jitter keeps a fleet of agents from reconnecting in lockstep after a server restart.
        return TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task RunSessionAsync(Uri url, Action onConnected, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        var port = url.Port > 0 ? url.Port : 4222;
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await tcp.ConnectAsync(url.Host, port, connectTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"TCP connect to {url.Host}:{port} timed out");
            }
        }

        Stream stream = tcp.GetStream();
        try
        {
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshakeTimeout.CancelAfter(_options.ConnectTimeout);
            var info = await ReadInfoAsync(stream, handshakeTimeout.Token);
            var wantTls = url.Scheme == "tls" || _options.TlsRequired || _options.TlsCaFile is not null || _options.TlsCertFile is not null;
            if (wantTls && !info.TlsRequired)
            {
                throw new NatsProtocolException("the client requires TLS but the server does not offer it");
            }

            if (info.TlsRequired)
            {
                stream = await UpgradeToTlsAsync(stream, url.Host, handshakeTimeout.Token);
            }

            Interlocked.Exchange(ref _serverMaxPayload, info.MaxPayload > 0 ? info.MaxPayload : int.MaxValue);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            await HandshakeAsync(stream, reader, url, info.TlsRequired, handshakeTimeout.Token);
            GoLive(url.OriginalString);
            onConnected();

            using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var tasks = new[]
            {
                ReadLoopAsync(reader, session.Token),
                WriteLoopAsync(stream, session.Token),
                PingLoopAsync(session.Token),
            };
            var first = await Task.WhenAny(tasks);
            await session.CancelAsync();
            try
            {
                await Task.WhenAll(tasks);
            }
            catch (Exception) when (first.IsFaulted || cancellationToken.IsCancellationRequested)
            {
                // The first failure is the one worth reporting.
            }

            await first;
            await reader.CompleteAsync();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("the server did not complete the handshake in time");
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private static async Task<NatsServerInfo> ReadInfoAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Byte by byte: nothing after INFO may be consumed before a possible TLS upgrade.
        var line = new List<byte>(1024);
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the server closed the connection before INFO");
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            line.Add(one[0]);
            if (line.Count > MaxInfoLine)
            {
                throw new NatsProtocolException("INFO line too long");
            }
        }

        var text = Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
        if (!text.StartsWith("INFO ", StringComparison.OrdinalIgnoreCase))
        {
            throw new NatsProtocolException("the server did not start with INFO (is this a NATS server?)");
        }

        try
        {
            return JsonSerializer.Deserialize(text.AsSpan(5), NatsJsonContext.Default.NatsServerInfo)
                ?? throw new NatsProtocolException("empty INFO");
        }
        catch (JsonException ex)
        {
            throw new NatsProtocolException("malformed INFO: " + ex.Message, ex);
        }
    }

    private async Task<Stream> UpgradeToTlsAsync(Stream stream, string host, CancellationToken cancellationToken)
    {
        var clientCertificates = new X509CertificateCollection();
        if (_options.TlsCertFile is not null && _options.TlsKeyFile is not null)
        {
            clientCertificates.Add(X509Certificate2.CreateFromPemFile(_options.TlsCertFile, _options.TlsKeyFile));
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false, ValidateServerCertificate);
        Volatile.Write(ref _tlsFailure, null);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ClientCertificates = clientCertificates,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken);
        }
        catch (AuthenticationException ex)
        {
            await tls.DisposeAsync();
            throw new AuthenticationException("TLS handshake failed: " + (Volatile.Read(ref _tlsFailure) ?? ex.Message), ex);
        }

        return tls;
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            Volatile.Write(ref _tlsFailure, "the server presented no certificate");
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            Volatile.Write(ref _tlsFailure, "the server certificate does not name the host in the URL");
            return false;
        }

        if (_trustedCa is null)
        {
            if (errors != SslPolicyErrors.None)
            {
                Volatile.Write(ref _tlsFailure, $"the server certificate is not trusted by the system store ({errors}); set Nats:TlsCaFile");
            }

            return errors == SslPolicyErrors.None;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedCa);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var serverCertificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (custom.Build(serverCertificate))
        {
            return true;
        }

        Volatile.Write(ref _tlsFailure, "the server certificate is not signed by the CA in Nats:TlsCaFile");
        return false;
    }

    private async Task HandshakeAsync(Stream stream, PipeReader reader, Uri url, bool tls, CancellationToken cancellationToken)
    {
        string? user = _options.User, password = _options.Password;
        if (user is null && !string.IsNullOrEmpty(url.UserInfo))
        {
            var parts = url.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        var connect = new NatsConnectMessage(
            Verbose: false,
            Pedantic: false,
            TlsRequired: tls,
            Name: _options.Name,
            Lang: "beacon-dotnet",
            Version: "1.0.0",
            Protocol: 1,
            Echo: true,
            User: user,
            Pass: password,
            AuthToken: _options.Token);
        var json = JsonSerializer.Serialize(connect, NatsJsonContext.Default.NatsConnectMessage);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("CONNECT " + json + "\r\nPING\r\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);

        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            try
            {
                while (NatsFrameReader.TryRead(ref buffer, int.MaxValue, out var frame))
                {
                    switch (frame!.Op)
                    {
                        case NatsOp.Pong:
                            return;
                        case NatsOp.Err:
                            throw new NatsProtocolException("the server refused the connection: " + frame.Text);
                        case NatsOp.Ping:
                            await stream.WriteAsync("PONG\r\n"u8.ToArray(), cancellationToken);
                            break;
                        default:
                            break;
                    }
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection during the handshake");
            }
        }
    }

    private void GoLive(string server)
    {
        bool reconnect;
        lock (_gate)
        {
            if (_state == BusConnectionState.Closed)
            {
                throw new OperationCanceledException();
            }

            // Whatever was queued for the previous connection is stale; a new connection starts with its subscriptions.
            _pending.ResetWrittenCount();
            FailPongWaiters();
            Interlocked.Exchange(ref _pingsOutstanding, 0);
            foreach (var subscription in _subscriptions.Values.OrderBy(s => s.Sid))
            {
                WriteSubscribe(subscription);
            }

            reconnect = _hasConnected;
            _hasConnected = true;
            _state = BusConnectionState.Connected;
            _server = server;
            _connected.TrySetResult();
        }

        Volatile.Write(ref _lastError, null);
        _writeSignal.Writer.TryWrite(true);
        Counters.Increment(reconnect ? MessagingCounter.Reconnects : MessagingCounter.Connects);
        LogConnected(_logger, server, reconnect);
        Raise(reconnect ? BusStateChange.Reconnected : BusStateChange.Connected, null);
    }

    /// <summary>Returns whether the connection had been live (and so a Disconnected event was raised).</summary>
    private bool MarkDisconnected(string server, string error)
    {
        lock (_gate)
        {
            if (_state != BusConnectionState.Connected)
            {
                return false;
            }

            _state = BusConnectionState.Disconnected;
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            FailPongWaiters();
        }

        FailRequests("the connection dropped: " + error);
        Counters.Increment(MessagingCounter.Disconnects);
        LogDisconnected(_logger, server, error);
        Raise(BusStateChange.Disconnected, error);
        return true;
    }

    private void FailPongWaiters()
    {
        while (_pongWaiters.TryDequeue(out var waiter))
        {
            waiter?.TrySetResult(false);
        }
    }

    private void FailRequests(string reason)
    {
        foreach (var inbox in _requests.Keys)
        {
            if (_requests.TryRemove(inbox, out var waiter))
            {
                waiter.TrySetException(new EventBusUnavailableException(reason));
            }
        }
    }

    private async Task ReadLoopAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var maxPayload = (int)Math.Min(int.MaxValue, Interlocked.Read(ref _serverMaxPayload));
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;

            // Anything arriving proves the connection alive: a client busy reading a backlog is slow, not stale, and
            // must not drop (and resynchronise) because its PONG is still queued behind the messages.
            if (!buffer.IsEmpty)
            {
                Interlocked.Exchange(ref _pingsOutstanding, 0);
            }

            try
            {
                while (NatsFrameReader.TryRead(ref buffer, maxPayload, out var frame))
                {
                    Handle(frame!);
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection");
            }
        }
    }

    private void Handle(NatsFrame frame)
    {
        switch (frame.Op)
        {
            case NatsOp.Msg:
                Counters.Increment(MessagingCounter.Received);
                if (frame.Payload!.Length > _options.MaxMessageBytes)
                {
                    Counters.Dropped(Contracts.DecodeErrorKind.TooLarge);
                    return;
                }

                if (_subscriptions.TryGetValue(frame.Sid, out var subscription))
                {
                    subscription.Deliver(new BusMessage(frame.Subject, frame.ReplyTo, frame.Payload));
                }

                return;
            case NatsOp.Ping:
                lock (_gate)
                {
                    _pending.Write("PONG\r\n"u8);
                }

                _writeSignal.Writer.TryWrite(true);
                return;
            case NatsOp.Pong:
                lock (_gate)
                {
                    if (_pongWaiters.TryDequeue(out var waiter))
                    {
                        waiter?.TrySetResult(true);
                    }
                }

                return;
            case NatsOp.Err:
                // The server keeps the connection after a permissions violation; anything else it closes.
                if (frame.Text.StartsWith("Permissions Violation", StringComparison.OrdinalIgnoreCase))
                {
                    Counters.Increment(MessagingCounter.PermissionViolation);
                    if (_loggedPermissionErrors.Count < 100 && _loggedPermissionErrors.TryAdd(frame.Text, true))
                    {
                        LogPermissionViolation(_logger, frame.Text);
                    }

                    return;
                }

                throw new NatsProtocolException("server error: " + frame.Text);
            default:
                return;
        }
    }

    private async Task WriteLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _writeSignal.Reader.ReadAsync(cancellationToken);
            ArrayBufferWriter<byte> batch;
            lock (_gate)
            {
                if (_pending.WrittenCount == 0)
                {
                    continue;
                }

                batch = _pending;
                _pending = _writing;
                _writing = batch;
            }

            await stream.WriteAsync(batch.WrittenMemory, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            batch.ResetWrittenCount();
        }
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PingInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            lock (_gate)
            {
                if (Interlocked.Increment(ref _pingsOutstanding) > _options.MaxPingsOutstanding)
                {
                    throw new TimeoutException("stale connection: nothing received from the server for several PING intervals");
                }

                _pongWaiters.Enqueue(null);
                _pending.Write("PING\r\n"u8);
            }

            _writeSignal.Writer.TryWrite(true);
        }
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

    private static string Describe(Exception ex) => ex switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            _ => socket.Message,
        },
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => ex.Message,
    };

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
