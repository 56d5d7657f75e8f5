namespace Beacon.TestSupport.Netns;

/// <summary>
/// A Linux network namespace created by a test: a host of its own with interfaces, addresses, routes and processes.
/// Disposing kills what runs inside and deletes it.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private readonly List<BackgroundProcess> _processes = [];

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync(string name)
    {
        await HostCommand.RunCheckedAsync("ip", "netns", "add", name);
        var ns = new NetworkNamespace(name);
        try
        {
            await ns.IpAsync("link", "set", "lo", "up");
            // Forwarding and the default sysctls are per namespace; keep IPv6 on and DAD quick for tests.
            await ns.ExecAsync("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0");
            await ns.ExecAsync("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<CommandResult> ExecAsync(params string[] command) =>
        HostCommand.RunAsync("ip", ["netns", "exec", Name, .. command]);

    public async Task<CommandResult> ExecCheckedAsync(params string[] command) => (await ExecAsync(command)).EnsureSuccess();

    /// <summary>Runs <c>ip ARGS</c> inside the namespace and throws when it fails.</summary>
    public async Task<CommandResult> IpAsync(params string[] arguments) =>
        (await HostCommand.RunAsync("ip", ["-n", Name, .. arguments])).EnsureSuccess();

    /// <summary>Starts a long-running program inside the namespace; it is killed when the namespace is disposed.</summary>
    public BackgroundProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var process = BackgroundProcess.Start("ip", ["netns", "exec", Name, fileName, .. arguments], environment);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Sets an interface down or up (simulates a cable pull on that node).</summary>
    public Task SetLinkAsync(string interfaceName, bool up) => IpAsync("link", "set", interfaceName, up ? "up" : "down");

    public async ValueTask DisposeAsync()
    {
        List<BackgroundProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
            _processes.Clear();
        }

        foreach (var p in processes)
        {
            await p.DisposeAsync();
        }

        await NetnsJanitor.KillProcessesInAsync(Name);
        await HostCommand.RunAsync("ip", "netns", "delete", Name);
    }
}
