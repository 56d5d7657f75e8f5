using Beacon.Hosting.Options;

namespace Beacon.Hosting;

/// <summary>The node a per-node component runs on: where its name comes from and what a valid one looks like.</summary>
public static class NodeNames
{
    /// <summary>NODE_NAME (set from the downward API in Kubernetes), else the host name.</summary>
    public static string Default() =>
        Environment.GetEnvironmentVariable("NODE_NAME") is { Length: > 0 } fromEnv ? fromEnv : Environment.MachineName;

    /// <summary>
    /// Node names appear in Kubernetes objects and NATS subjects, so they must be non-empty, at most 253 characters,
    /// and free of whitespace and the NATS wildcards '*' and '>'.
    /// </summary>
    public static void Validate(OptionProblems problems, string option, string? value)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(option, "is empty", "set the Kubernetes node name (NODE_NAME from the downward API), or leave it unset to use the host name");
            return;
        }
        if (value.Length > 253 || value.Any(c => char.IsWhiteSpace(c) || c is '*' or '>' or '/'))
            problems.Add(option, $"'{value}' is not a valid node name", "use the node's Kubernetes name: at most 253 characters, no spaces, '/', '*' or '>'");
    }
}
