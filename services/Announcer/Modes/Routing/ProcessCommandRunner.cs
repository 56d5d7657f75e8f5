using System.ComponentModel;
using System.Diagnostics;

namespace Beacon.Announcer.Modes.Routing;

/// <summary>
/// Runs CLIs as child processes, optionally through a wrapper (e.g. <c>ip netns exec NS</c>, <c>nsenter -t PID -n</c>)
/// when the daemon lives in another network namespace or container.
/// </summary>
public sealed class ProcessCommandRunner(IReadOnlyList<string> wrapper, TimeSpan timeout) : ICommandRunner
{
    public ProcessCommandRunner()
        : this([], TimeSpan.FromSeconds(10))
    {
    }

    public async Task<CommandOutput> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var command = wrapper.Count > 0 ? [.. wrapper, fileName, .. arguments] : new List<string> { fileName }.Concat(arguments).ToList();
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (Win32Exception e)
        {
            return new CommandOutput(-1, "", $"cannot run {command[0]}: {e.Message}");
        }

        if (process is null)
        {
            return new CommandOutput(-1, "", $"cannot run {command[0]}");
        }

        using (process)
        {
            process.StandardInput.Close();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
                return new CommandOutput(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                cancellationToken.ThrowIfCancellationRequested();
                return new CommandOutput(-1, "", $"{string.Join(' ', command)} did not finish within {timeout}");
            }
        }
    }
}
