using Beacon.TestSupport.Processes;

namespace Beacon.TestSupport.Nats;

/// <summary>Where the nats-server executable is: <c>NATS_SERVER_BIN</c>, else the declared program (installed by ./build.sh).</summary>
public static class NatsServerBinary
{
    // Resolved on use: a missing nats-server fails the test that needs it with the package to install, not a type initializer.
    public static string Path => ExternalPrograms.Resolve(Environment.GetEnvironmentVariable("NATS_SERVER_BIN") is { Length: > 0 } fromEnvironment ? fromEnvironment : "nats-server");
}
