using System.Runtime.InteropServices;

namespace Beacon.TestSupport.Netns;

/// <summary>libc kill(2): .NET's Process API can only SIGKILL, tests also need SIGTERM/SIGSTOP/SIGCONT.</summary>
public static partial class NativeSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
