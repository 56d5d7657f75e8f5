using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Beacon.TestSupport.Processes;

namespace Beacon.TestSupport.Nats;

/// <summary>
/// A real nats-server on a free loopback port, started from a generated config. Stop/Start keep the port so clients
/// can reconnect to the same URL; Dispose kills the process even when the test failed.
/// </summary>
public sealed class NatsServer : IAsyncDisposable, IDisposable
{
    private readonly NatsServerConfig _config;
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private NatsServer(NatsServerConfig config, int port, string directory)
    {
        _config = config;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>Client URL; <c>tls://</c> when the server requires TLS.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"{(_config.Tls is null ? "nats" : "tls")}://127.0.0.1:{Port}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running server's process id (benchmarks read its CPU time), or null when it is not running.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    /// <summary>Text of the generated nats-server.conf (for diagnostics).</summary>
    public string ConfigText { get; private set; } = "";

    /// <summary>What the server printed so far (first 64 KiB per start), for diagnostics and assertions.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<NatsServer> StartAsync(NatsServerConfig? config = null, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("beacon-nats-").FullName;
        var server = new NatsServer(config ?? new NatsServerConfig(), FreeLoopbackPort(), directory);
        try
        {
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the (stopped) server again on the same port.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        ConfigText = _config.Render(Port, JetStreamDirectory);
        var configFile = Path.Combine(_directory, "nats-server.conf");
        await File.WriteAllTextAsync(configFile, ConfigText, cancellationToken);
        var start = ExternalPrograms.StartInfo(NatsServerBinary.Path);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (name, value) in _config.Environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configFile);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        _process = process;
        LiveProcesses.Track(process);
        var log = _log;
        process.ErrorDataReceived += (_, e) => AppendLog(log, e.Data);
        process.OutputDataReceived += (_, e) => AppendLog(log, e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                string text;
                lock (log)
                {
                    text = log.ToString();
                }

                throw new InvalidOperationException($"nats-server exited with {process.ExitCode}:\n{text}\nconfig:\n{ConfigText}");
            }

            if (await AcceptsConnectionsAsync(Port, cancellationToken))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"nats-server did not accept connections on 127.0.0.1:{Port}");
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    /// <summary>Kills the server (clients see the connection drop) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            LiveProcesses.Forget(process);
            process.Dispose();
        }
    }

    /// <summary>Where JetStream keeps its streams (under the server's own temporary directory).</summary>
    public string JetStreamDirectory => Path.Combine(_directory, "jetstream");

    /// <summary>Kills the server, deletes its JetStream storage and starts it again: NATS "restarted without its storage".</summary>
    public async Task RestartWipedAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        if (Directory.Exists(JetStreamDirectory))
        {
            Directory.Delete(JetStreamDirectory, recursive: true);
        }

        await StartAgainAsync(cancellationToken);
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await StartAgainAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TryDeleteDirectory();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void TryDeleteDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void AppendLog(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 64 * 1024)
            {
                log.AppendLine(line);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server writes its INFO line as soon as it accepts a client (before any TLS handshake).</summary>
    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var buffer = new byte[5];
            var read = 0;
            var stream = client.GetStream();
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(buffer) == "INFO ";
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
