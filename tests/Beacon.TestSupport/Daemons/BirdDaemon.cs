using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Daemons;

/// <summary>
/// A BIRD 2 running in the foreground inside a namespace, with its own config, control socket and pid file in a
/// private directory. Disposing kills it and removes the directory.
/// </summary>
public sealed class BirdDaemon : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private BirdDaemon(NetworkNamespace host, string directory, BackgroundProcess process)
    {
        Host = host;
        Directory = directory;
        _process = process;
    }

    public NetworkNamespace Host { get; }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "bird.conf");

    public string SocketPath => Path.Combine(Directory, "bird.ctl");

    /// <summary>Conventional place for an include file next to the main config (what the bird mode writes).</summary>
    public string IncludePath => Path.Combine(Directory, "beacon.conf");

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>
    /// Writes <paramref name="config"/> (may <c>include</c> <see cref="IncludePath"/>; <paramref name="include"/> is
    /// written there first when given) and starts BIRD, returning once its control socket answers.
    /// </summary>
    public static async Task<BirdDaemon> StartAsync(NetworkNamespace host, Func<BirdDaemon, string> config, string? include = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(config);
        var directory = DaemonDirectory.Create("bird-" + host.Name);
        var placeholder = new BirdDaemon(host, directory, null!);
        if (include is not null)
        {
            await File.WriteAllTextAsync(placeholder.IncludePath, include);
        }

        await File.WriteAllTextAsync(placeholder.ConfigPath, config(placeholder));
        var check = await HostCommand.RunAsync("bird", "-p", "-c", placeholder.ConfigPath);
        if (!check.Succeeded)
        {
            throw new InvalidOperationException($"BIRD config for {host.Name} does not parse: {check.StandardError}\n{config(placeholder)}");
        }

        var process = host.Start("bird", ["-f", "-c", placeholder.ConfigPath, "-s", placeholder.SocketPath, "-P", Path.Combine(directory, "bird.pid")]);
        var daemon = new BirdDaemon(host, directory, process);
        await Eventually.MatchesAsync(
            async () => File.Exists(daemon.SocketPath) ? await daemon.TryCommandAsync("show status") : null,
            r => r is { Succeeded: true } || process.HasExited,
            TimeSpan.FromSeconds(10),
            $"BIRD in {host.Name} answering on {daemon.SocketPath}");
        if (process.HasExited)
        {
            throw new InvalidOperationException($"BIRD in {host.Name} exited: {process.Output}");
        }

        return daemon;
    }

    /// <summary>Runs <c>birdc -s SOCKET COMMAND</c> and returns its output; throws when birdc fails.</summary>
    public async Task<string> CommandAsync(string command) =>
        (await HostCommand.RunAsync("birdc", ["-s", SocketPath, .. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)], TimeSpan.FromSeconds(10)))
        .EnsureSuccess().StandardOutput;

    private async Task<CommandResult?> TryCommandAsync(string command) =>
        await HostCommand.RunAsync("birdc", ["-s", SocketPath, .. command.Split(' ')], TimeSpan.FromSeconds(5));

    /// <summary>Kills BIRD without letting it withdraw anything (a crashed node): peers notice via BFD or hold time.</summary>
    public void Kill() => _process.Signal(NativeSignals.SigKill);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        DaemonDirectory.TryDelete(Directory);
    }
}
