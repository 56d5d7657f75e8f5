using System.Threading.Channels;
using Beacon.Contracts;

namespace Beacon.Allocator.Nodes;

/// <summary>
/// Each node's latest strictARP finding, from the node statuses on the bus (live and from the BEACON_NODES stream).
/// Thread-safe: the bus delivers on its own threads, <see cref="NodeStrictArpEvents"/> reads. A finding that did not
/// change signals nothing, so a node republishing its status (every burst of announcements) costs no API call.
/// </summary>
internal sealed class NodeStrictArpFindings
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, string?> byNode = new(StringComparer.Ordinal);
    private readonly Channel<bool> changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Records the finding a node's status carries; true when it differs from what that node said before.</summary>
    public bool Record(NodeStatusReport status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (gate)
        {
            // A node never heard from before that reports nothing wrong is no change either.
            var before = byNode.GetValueOrDefault(status.Node);
            byNode[status.Node] = status.StrictArpProblem;
            if (string.Equals(before, status.StrictArpProblem, StringComparison.Ordinal))
            {
                return false;
            }
        }

        changed.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Every node heard from, with its finding (null: layer 2 is safe there).</summary>
    public IReadOnlyDictionary<string, string?> Snapshot()
    {
        lock (gate)
        {
            return new Dictionary<string, string?>(byNode, StringComparer.Ordinal);
        }
    }

    /// <summary>Completes when a finding changed since the last call, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForChangeAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, wait.Token);
        var signal = changed.Reader.WaitToReadAsync(wait.Token).AsTask();
        await Task.WhenAny(delay, signal).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        changed.Reader.TryRead(out _);
    }
}
