namespace Beacon.TestSupport.Nats;

/// <summary>Where the nats-server executable is: <c>NATS_SERVER_BIN</c>, then the usual install paths, then PATH.</summary>
public static class NatsServerBinary
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NATS_SERVER_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        string[] candidates = ["/usr/sbin/nats-server", "/usr/local/bin/nats-server", "/usr/bin/nats-server"];
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "nats-server";
    }
}
