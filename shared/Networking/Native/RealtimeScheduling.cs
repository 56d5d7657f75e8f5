using System.Runtime.InteropServices;

namespace Beacon.Networking.Native;

/// <summary>
/// Moves the calling thread to SCHED_RR (sched_setscheduler(2) with pid 0 acts on the calling thread), so a
/// responder is not queued behind busy normal-priority work. Needs CAP_SYS_NICE; the kernel's RT throttling
/// (sched_rt_runtime_us) still leaves the CPU to others under a flood.
/// </summary>
internal static partial class RealtimeScheduling
{
    private const int SchedRoundRobin = 2;

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref int priority);

    /// <summary>Returns 0 on success, else the errno (e.g. 1 EPERM without CAP_SYS_NICE).</summary>
    public static int TryEnterRoundRobin(int priority)
    {
        var p = priority;
        return SetScheduler(0, SchedRoundRobin, ref p) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
