namespace Beacon.Announcer.Modes.Routing;

/// <summary>What a CLI invocation returned. Exit code -1 means it could not be started or timed out.</summary>
public sealed record CommandOutput(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The CLI's own words for an operator: stderr, else stdout, trimmed.</summary>
    public string Message => (string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError).Trim();
}
