namespace Beacon.Hosting;

/// <summary>
/// Runs socket completions on the runtime's socket (epoll) thread instead of queueing each one to the thread pool.
/// An idle node agent's traffic is tens of small reads a second, each handled in microseconds by NATS.Net's read loop
/// and our inline heartbeat handler; the hop to a pool worker (and the second worker the pool wakes with it) was most
/// of its wake-ups (docs/benchmarks.md, "Footprint"). The runtime reads only the environment variable, once, when the
/// first socket operation starts, so this must run before any socket is used. An operator's own setting wins.
/// </summary>
public static class InlineSocketCompletions
{
    /// <summary>The runtime's switch (System.Net.Sockets, SocketAsyncEngine on Unix); "1" turns it on.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on unless <see cref="Variable"/> is already set (to anything).</summary>
    public static void PreferUnlessSet()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
