namespace Beacon.Services.Tests.Processes;

/// <summary>The three services, with the arguments each needs to start on a free loopback port.</summary>
internal static class Services
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Names => new() { "Allocator", "NodeAgent", "Announcer" };

    /// <summary>Loopback, a port the kernel picks, and what a service requires to start at all.</summary>
    public static string[] StartArguments(string service, params string[] extra) =>
    [
        "--http-address", "127.0.0.1", "--http-port", "0",
        .. service == "Announcer" ? new[] { "--mode", "l2" } : [],
        .. service is "NodeAgent" or "Announcer" ? new[] { "--node-name", "test-node" } : [],
        .. extra,
    ];
}
