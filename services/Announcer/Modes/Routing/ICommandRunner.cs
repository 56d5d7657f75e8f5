namespace Beacon.Announcer.Modes.Routing;

/// <summary>Runs a daemon's CLI (vtysh, gobgp) once; behind an interface so the modes' logic is tested without one.</summary>
public interface ICommandRunner
{
    Task<CommandOutput> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}
