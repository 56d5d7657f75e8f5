using Beacon.Kube.Events;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Nodes;

/// <summary>
/// Kubernetes mode: turns the nodes' strictARP findings (<see cref="NodeStrictArpFindings"/>) into Events on their Node
/// objects, written by the leading Allocator only (node agents hold no Kubernetes credentials). A Warning
/// <see cref="WarningReason"/> naming the node, what it found and the exact fix when a node reports the problem, and a
/// Normal <see cref="FixedReason"/> once it reports it gone; nothing while a finding stays the same (the
/// <see cref="EventRecorder"/> folds repeats into one Event's count). The Events carry the node's name as
/// <c>involvedObject.uid</c>, as the kubelet's do, so <c>kubectl describe node</c> lists them.
/// </summary>
internal sealed partial class NodeStrictArpEvents(EventRecorder recorder, NodeStrictArpFindings findings, Func<bool> leading, ILogger logger, TimeProvider time)
{
    public const string WarningReason = "StrictARPDisabled";
    public const string FixedReason = "StrictARPEnabled";

    /// <summary>How often leadership is looked at again when no finding changes (a new leader reports what stands).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(15);

    /// <summary>Event messages are capped: the text comes from a node, over the bus.</summary>
    private const int MaxMessage = 1000;

    private readonly Dictionary<string, string> reported = new(StringComparer.Ordinal);

    /// <summary>Writes the Events for what changed since the last call; the number written. Nothing unless leading.</summary>
    public async Task<int> WriteChangesAsync(CancellationToken cancellationToken)
    {
        if (!leading())
        {
            // A later term starts afresh: its first pass reports every node that still has the problem.
            reported.Clear();
            return 0;
        }

        var changes = NodeStrictArpChange.Between(reported, findings.Snapshot());
        foreach (var change in changes)
        {
            var node = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = change.Node, Uid = change.Node };
            if (change.Problem is { } problem)
            {
                LogProblem(logger, change.Node, problem);
                await recorder.RecordAsync(node, "Warning", WarningReason, Cap($"node {change.Node}: {problem}"), cancellationToken).ConfigureAwait(false);
                reported[change.Node] = problem;
            }
            else
            {
                LogFixed(logger, change.Node);
                await recorder.RecordAsync(node, "Normal", FixedReason,
                    $"node {change.Node}: kube-proxy's strictARP is in effect now (arp_ignore 1, arp_announce 2); layer 2 is safe on this node",
                    cancellationToken).ConfigureAwait(false);
                reported.Remove(change.Node);
            }
        }

        return changes.Count;
    }

    /// <summary>Reports changes until <paramref name="cancellationToken"/> ends it; returns then, without throwing.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await WriteChangesAsync(cancellationToken).ConfigureAwait(false);
                await findings.WaitForChangeAsync(Recheck, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static string Cap(string message) => message.Length <= MaxMessage ? message : message[..(MaxMessage - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Layer 2 is unsafe on node {Node}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string node, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Layer 2 is safe on node {Node} again: strictARP is in effect")]
    private static partial void LogFixed(ILogger logger, string node);
}
