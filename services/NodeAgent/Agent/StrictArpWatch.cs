using Beacon.Hosting.Health;
using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Kernel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Beacon.NodeAgent.Agent;

/// <summary>
/// Checks the node for kube-proxy's IPVS mode without strictARP (<see cref="StrictArp"/>) at start and every
/// <see cref="Interval"/>, and holds <c>/readyz</c> not ready with the reason and the fix while it holds: the node then
/// answers ARP for layer-2 addresses it does not own, which breaks failover silently. Not ready rather than a log line,
/// because a pod at 0/1 is what an operator sees; the agent keeps working meanwhile (readiness never restarts it).
/// The finding also goes into the node's status on the bus (<see cref="StrictArpFinding"/>), so the Allocator can name
/// the node in a Kubernetes Event: the agent itself holds no Kubernetes credentials. It checks the interfaces addresses
/// really go on (<see cref="AnnouncingInterfaces"/>: the LBNodeAgent's, once resolved), again at once when they change.
/// </summary>
public sealed partial class StrictArpWatch(
    AnnouncingInterfaces interfaces, ArpSettingsReader reader, ReadinessFlag flag, TimeProvider time, ILogger<StrictArpWatch> logger, StrictArpFinding? finding = null)
    : BackgroundService
{
    private readonly Lock _gate = new();

    public StrictArpWatch(string interfaceName, ArpSettingsReader reader, ReadinessFlag flag, TimeProvider time, ILogger<StrictArpWatch> logger, StrictArpFinding? finding = null)
        : this(new AnnouncingInterfaces(interfaceName), reader, flag, time, logger, finding)
    {
    }

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>The readiness check this watch holds; register it with <c>AddReadinessCheck</c>.</summary>
    public static ReadinessFlag NewFlag() => new("strict-arp", "kube-proxy's strictARP not checked yet");

    public ReadinessFlag Flag => flag;

    /// <summary>One check: reads the node and updates <see cref="Flag"/>; returns the problem (null when none).</summary>
    public string? CheckOnce()
    {
        lock (_gate)
        {
            return Check();
        }
    }

    private string? Check()
    {
        string? problem;
        try
        {
            // The first interface with a problem: any one of them answering for others' addresses breaks failover.
            problem = interfaces.Names.Select(name => StrictArp.Problem(reader.Read(name))).FirstOrDefault(p => p is not null);
        }
        catch (IOException e)
        {
            // Without /proc there is nothing to check; not a reason to hold the node back.
            LogUnreadable(logger, e.Message);
            problem = null;
        }

        var before = Flag.Check();
        if (problem is null)
        {
            Flag.MarkReady();
        }
        else
        {
            Flag.MarkNotReady(problem);
            if (before.IsReady || before.Reason != problem)
            {
                LogStrictArp(logger, problem);
            }
        }

        finding?.Set(problem);
        return problem;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        interfaces.Changed += OnInterfacesChanged;
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                CheckOnce();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            interfaces.Changed -= OnInterfacesChanged;
        }
    }

    private void OnInterfacesChanged(object? sender, EventArgs e) => CheckOnce();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Layer 2 is unsafe on this node: {Problem}")]
    private static partial void LogStrictArp(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot check kube-proxy's strictARP: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
