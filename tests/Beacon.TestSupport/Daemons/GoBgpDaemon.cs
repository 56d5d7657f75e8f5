using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>
/// A gobgpd inside a namespace, its gRPC API on a unix socket in a private directory, so the gobgp CLI reaches it
/// from the root namespace (<c>gobgp --target unix://…</c>) and instances never share a port. Disposing kills it.
/// </summary>
public sealed class GoBgpDaemon : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private GoBgpDaemon(NetworkNamespace host, string directory, BackgroundProcess process)
    {
        Host = host;
        Directory = directory;
        _process = process;
    }

    public NetworkNamespace Host { get; }

    public string Directory { get; }

    /// <summary>The TOML file gobgpd runs with (<c>-f</c>): the gobgp mode writes resource peers into it and sends SIGHUP.</summary>
    public string ConfigPath => Path.Combine(Directory, "gobgpd.toml");

    /// <summary>The gRPC target for <c>gobgp --target</c>.</summary>
    public string ApiTarget => "unix://" + Path.Combine(Directory, "api.sock");

    public string Output => _process.Output;

    public static async Task<GoBgpDaemon> StartAsync(NetworkNamespace host, string tomlConfig)
    {
        ArgumentNullException.ThrowIfNull(host);
        var directory = DaemonDirectory.Create("gobgp-" + host.Name);
        var config = Path.Combine(directory, "gobgpd.toml");
        await File.WriteAllTextAsync(config, tomlConfig);
        var process = host.Start("gobgpd", ["-f", config, "--api-hosts", "unix://" + Path.Combine(directory, "api.sock"), "--log-level", "info"]);
        var daemon = new GoBgpDaemon(host, directory, process);
        try
        {
            await Eventually.MatchesAsync(
                async () => File.Exists(Path.Combine(directory, "api.sock")) ? (await daemon.TryGobgpAsync("global")).Succeeded : process.HasExited,
                ready => ready,
                TimeSpan.FromSeconds(10),
                $"gobgpd in {host.Name} answering");
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gobgpd in {host.Name} exited: {process.Output}");
            }

            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the gobgp CLI against this instance; throws when it fails.</summary>
    public async Task<string> GobgpAsync(params string[] arguments) => (await TryGobgpAsync(arguments)).EnsureSuccess().StandardOutput;

    private Task<CommandResult> TryGobgpAsync(params string[] arguments) =>
        HostCommand.RunAsync("gobgp", ["--target", ApiTarget, .. arguments], TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        DaemonDirectory.TryDelete(Directory);
    }
}
