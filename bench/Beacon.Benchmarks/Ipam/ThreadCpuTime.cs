using System.Runtime.InteropServices;

namespace Beacon.Benchmarks.Ipam;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): unlike wall time it does not count
/// time spent waiting for a CPU on a shared machine, and unlike process time it leaves out background GC/JIT threads.
/// </summary>
internal static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static TimeSpan Current()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(ClockThreadCpuTimeId, out var spec) != 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
