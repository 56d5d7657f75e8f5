using System.Net.Sockets;
using System.Text;

namespace Beacon.Announcer.Modes.Bird;

/// <summary>
/// Speaks BIRD's control-socket protocol directly (what birdc does): connect to the unix socket, read the greeting
/// (<c>0001 BIRD x.y ready.</c>), send one command line, read numbered lines until the final one.
/// A connection per command keeps it simple and survives BIRD restarts.
/// </summary>
public sealed class BirdControlSocket(string socketPath, TimeSpan timeout) : IBirdControl
{
    public async Task<bool> IsUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async Task<BirdReply> SendAsync(string command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (command.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a BIRD command is one line", nameof(command));
        }

        using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await connection.Writer.WriteAsync((command + "\n").AsMemory(), connection.Deadline.Token).ConfigureAwait(false);
        await connection.Writer.FlushAsync(connection.Deadline.Token).ConfigureAwait(false);
        return await connection.ReadReplyAsync().ConfigureAwait(false);
    }

    private async Task<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
            var connection = new Connection(socket, deadline);
            var greeting = await connection.ReadReplyAsync().ConfigureAwait(false);
            if (greeting.Code != 1)
            {
                connection.Dispose();
                throw new IOException($"BIRD at {socketPath} greeted with {greeting.Code:D4} {greeting.Text}");
            }

            return connection;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            deadline.Dispose();
            throw new IOException($"BIRD is not reachable at {socketPath}: {e.Message}", e);
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;
        private readonly BirdReplyParser _parser = new();

        public Connection(Socket socket, CancellationTokenSource deadline)
        {
            _socket = socket;
            Deadline = deadline;
            _stream = new NetworkStream(socket, ownsSocket: true);
            _reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            Writer = new StreamWriter(_stream, new UTF8Encoding(false)) { AutoFlush = false };
        }

        public CancellationTokenSource Deadline { get; }

        public StreamWriter Writer { get; }

        public async Task<BirdReply> ReadReplyAsync()
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(Deadline.Token).ConfigureAwait(false)
                    ?? throw new IOException("BIRD closed the control connection mid-reply");
                if (_parser.Add(line) is { } reply)
                {
                    return reply;
                }
            }
        }

        public void Dispose()
        {
            Writer.Dispose();
            _reader.Dispose();
            _stream.Dispose();
            _socket.Dispose();
            Deadline.Dispose();
        }
    }
}
