using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>
/// One FRR instance (zebra + bgpd, optionally bfdd) inside a namespace. Each instance keeps its configs, pid files,
/// vty sockets and zebra API socket in a private directory (<c>--vty_socket</c>, <c>-z</c>, <c>-i</c>, <c>-f</c>),
/// so several run side by side without FRR's shared /etc/frr and /var/run/frr; TCP vty ports are off.
/// vtysh reaches exactly this instance with <see cref="VtyshArguments"/>. Disposing kills the daemons.
/// </summary>
public sealed class FrrDaemon : IAsyncDisposable
{
    private readonly List<BackgroundProcess> _processes = [];

    private FrrDaemon(NetworkNamespace host, string directory)
    {
        Host = host;
        Directory = directory;
    }

    public NetworkNamespace Host { get; }

    public string Directory { get; }

    /// <summary>Arguments that point vtysh at this instance (before any <c>-c</c>).</summary>
    public IReadOnlyList<string> VtyshArguments => ["--vty_socket", Directory, "--config_dir", Directory];

    public string Output => string.Join('\n', _processes.Select(p => p.Display + ":\n" + p.Output));

    /// <summary>Starts zebra, then bgpd with <paramref name="bgpdConfig"/> (and bfdd with <paramref name="bfddConfig"/> when given).</summary>
    public static async Task<FrrDaemon> StartAsync(NetworkNamespace host, string bgpdConfig, string? bfddConfig = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var directory = DaemonDirectory.Create("frr-" + host.Name);
        // The daemons drop privileges to the frr user, which must be able to create its sockets here.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        }
        var daemon = new FrrDaemon(host, directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "vtysh.conf"), "");
            await daemon.StartDaemonAsync("zebra", "");
            await daemon.StartDaemonAsync("bgpd", bgpdConfig);
            if (bfddConfig is not null)
            {
                await daemon.StartDaemonAsync("bfdd", bfddConfig);
            }

            await Eventually.MatchesAsync(
                () => daemon.TryVtyshAsync("show bgp summary"),
                r => r.Succeeded || daemon._processes.Any(p => p.HasExited),
                TimeSpan.FromSeconds(10),
                $"FRR in {host.Name} answering vtysh");
            if (daemon._processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"FRR in {host.Name} exited:\n{daemon.Output}");
            }

            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs vtysh commands against this instance; throws when vtysh fails.</summary>
    public async Task<string> VtyshAsync(params string[] commands) => (await TryVtyshAsync(commands)).EnsureSuccess().StandardOutput;

    private Task<CommandResult> TryVtyshAsync(params string[] commands) =>
        HostCommand.RunAsync("vtysh", [.. VtyshArguments, .. commands.SelectMany(c => new[] { "-c", c })], TimeSpan.FromSeconds(10));

    private async Task StartDaemonAsync(string name, string config)
    {
        var configPath = Path.Combine(Directory, name + ".conf");
        await File.WriteAllTextAsync(configPath, config);
        // zebra, bgpd, bfdd are declared programs; the registry finds them in /usr/lib/frr.
        var process = Host.Start(name, [
            "-u", "frr", "-g", "frr",
            "-f", configPath,
            "-i", Path.Combine(Directory, name + ".pid"),
            "-z", Path.Combine(Directory, "zserv.api"),
            "--vty_socket", Directory,
            "-P", "0",
            "--log", "stdout",
        ]);
        _processes.Add(process);
        // Later daemons connect to zebra's API socket; wait for it rather than relying on their retry timers.
        if (name == "zebra")
        {
            await Eventually.MatchesAsync(
                () => Task.FromResult(File.Exists(Path.Combine(Directory, "zserv.api")) || process.HasExited),
                ready => ready,
                TimeSpan.FromSeconds(10),
                $"zebra in {Host.Name} listening");
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        DaemonDirectory.TryDelete(Directory);
    }
}
