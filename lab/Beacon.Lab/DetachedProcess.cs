using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Lab;

/// <summary>
/// Starts a program inside a namespace so that it outlives the command that started it: its own session
/// (setsid), output appended to a log file, its pid in a pid file for <c>LabDown</c>.
/// </summary>
public static class DetachedProcess
{
    // $0 and $@ carry the program and its arguments through sh untouched by word splitting.
    private const string Launcher = "echo $$ > \"$BEACON_LAB_PID\"; exec \"$0\" \"$@\" >> \"$BEACON_LAB_LOG\" 2>&1 < /dev/null";

    public static async Task StartAsync(string namespaceName, string pidFile, string logFile, string program, params string[] arguments)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        File.Delete(pidFile);
        var result = await HostCommand.RunAsync(
            "ip",
            ["netns", "exec", namespaceName, "env", $"BEACON_LAB_PID={pidFile}", $"BEACON_LAB_LOG={logFile}", ExternalPrograms.Resolve("setsid"), "-f", ExternalPrograms.Resolve("sh"), "-c", Launcher, ExternalPrograms.Resolve(program), .. arguments]);
        result.EnsureSuccess();
        // setsid -f returns at once; wait (bounded) for the child to record its pid.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{program} in {namespaceName} did not start (no pid file {pidFile}); see {logFile}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The pid recorded in <paramref name="pidFile"/> when that process is still alive.</summary>
    public static int? AlivePid(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            return null;
        }

        return ProcessLiveness.IsRunning(pid) ? pid : null;
    }
}
