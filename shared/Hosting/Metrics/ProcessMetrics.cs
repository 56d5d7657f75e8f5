using System.Diagnostics;
using System.Reflection;

namespace Beacon.Hosting.Metrics;

/// <summary>The standard process and runtime metrics every Beacon service exposes, refreshed at each scrape.</summary>
public static class ProcessMetrics
{
    public static void Register(MetricsRegistry registry, ServiceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(identity);
        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "unknown";
        registry.Gauge("beacon_build_info", "Always 1; labels name the service and its version.", "service", "version")
            .WithLabels(identity.Name, version).Set(1);

        var process = Process.GetCurrentProcess();
        var startTime = new DateTimeOffset(process.StartTime.ToUniversalTime());
        registry.Gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.")
            .Set(startTime.ToUnixTimeMilliseconds() / 1000.0);
        var uptime = registry.Gauge("process_uptime_seconds", "Seconds since the process started.");
        var cpu = registry.Counter("process_cpu_seconds_total", "Total user and system CPU time spent, in seconds.");
        var resident = registry.Gauge("process_resident_memory_bytes", "Resident memory size, in bytes.");
        var virtualMemory = registry.Gauge("process_virtual_memory_bytes", "Virtual memory size, in bytes.");
        var threads = registry.Gauge("process_threads", "Operating system threads of the process.");
        var openFds = registry.Gauge("process_open_fds", "Open file descriptors.");
        var heap = registry.Gauge("dotnet_gc_heap_size_bytes", "Bytes in the managed heap after the last garbage collection.");
        var allocated = registry.Counter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.");
        var collections = registry.Counter("dotnet_gc_collections_total", "Garbage collections since start, by generation.", "generation");
        var poolThreads = registry.Gauge("dotnet_threadpool_threads", "Thread pool threads.");
        var poolQueue = registry.Gauge("dotnet_threadpool_queue_length", "Work items waiting in the thread pool queue.");

        registry.BeforeCollect(() =>
        {
            process.Refresh();
            uptime.Set((DateTimeOffset.UtcNow - startTime).TotalSeconds);
            cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
            resident.Set(process.WorkingSet64);
            virtualMemory.Set(process.VirtualMemorySize64);
            threads.Set(process.Threads.Count);
            openFds.Set(CountOpenFileDescriptors());
            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            for (var generation = 0; generation <= GC.MaxGeneration; generation++)
                collections.WithLabels(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
            poolThreads.Set(ThreadPool.ThreadCount);
            poolQueue.Set(ThreadPool.PendingWorkItemCount);
        });
    }

    private static double CountOpenFileDescriptors()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }
}
