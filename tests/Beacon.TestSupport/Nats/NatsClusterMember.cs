using System.Globalization;
using System.Net;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Nats;

/// <summary>
/// One nats-server of a <see cref="NatsCluster"/>: its own network namespace on the cluster's LAN, a JetStream store
/// that survives a kill, and loopback forwarders so the test process reaches its client and monitoring ports.
/// </summary>
public sealed class NatsClusterMember : IAsyncDisposable
{
    public const int ClientPort = 4222;
    public const int RoutePort = 6222;
    public const int MonitorPort = 8222;

    private readonly NamespaceTcpForwarder _client;
    private readonly NamespaceTcpForwarder _monitor;
    private readonly string _configFile;
    private BackgroundProcess? _process;

    internal NatsClusterMember(string name, NetworkNamespace host, IPAddress address, string directory, string configText)
    {
        Name = name;
        Host = host;
        Address = address;
        StoreDirectory = Path.Combine(directory, "jetstream");
        _configFile = Path.Combine(directory, "nats-server.conf");
        ConfigText = configText;
        File.WriteAllText(_configFile, configText);
        _client = new NamespaceTcpForwarder(host.Name, new IPEndPoint(address, ClientPort));
        _monitor = new NamespaceTcpForwarder(host.Name, new IPEndPoint(address, MonitorPort));
    }

    /// <summary>The server_name, as JetStream reports leaders and peers.</summary>
    public string Name { get; }

    public NetworkNamespace Host { get; }

    /// <summary>The server's address on the cluster LAN (inside the test's namespaces only).</summary>
    public IPAddress Address { get; }

    public string StoreDirectory { get; }

    public string ConfigText { get; }

    /// <summary>Client URL reachable from the test process (a loopback forwarder into the namespace).</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{_client.Port}");

    /// <summary>Monitoring base URL (<c>/jsz</c>, <c>/healthz</c>) reachable from the test process.</summary>
    public Uri MonitorUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_monitor.Port}/"));

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the current (or last) process printed, for failure messages.</summary>
    public string Log => _process?.Output ?? "";

    /// <summary>Starts nats-server inside the namespace and waits until it listens for clients.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        _process = Host.Start(NatsServerBinary.Path, ["-c", _configFile]);
        await _process.WaitForLineAsync(line => line.Contains("Server is ready", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    /// <summary>SIGKILL: no goodbye to the cluster, as when a node dies. The store stays for a restart.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await _client.DisposeAsync();
        await _monitor.DisposeAsync();
    }
}
