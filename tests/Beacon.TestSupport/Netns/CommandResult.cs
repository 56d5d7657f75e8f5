namespace Beacon.TestSupport.Netns;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with everything the command said, so a failing lab step explains itself.</summary>
    public CommandResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(
                $"'{Command}' exited {ExitCode}\nstdout: {StandardOutput.Trim()}\nstderr: {StandardError.Trim()}");
        }

        return this;
    }
}
