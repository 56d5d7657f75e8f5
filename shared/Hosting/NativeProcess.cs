using System.Runtime.InteropServices;

namespace Beacon.Hosting;

/// <summary>
/// libc _exit(2): ends the process at once. Environment.Exit would run ProcessExit handlers, and the generic host's
/// handler waits for the very shutdown that is stuck.
/// </summary>
internal static partial class NativeProcess
{
    [LibraryImport("libc", EntryPoint = "_exit")]
    internal static partial void Exit(int status);
}
