using System.Globalization;
using System.Threading.Channels;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// An open watch: receives matching events (in commit order, filled under the store lock) through a channel.
/// Objects moving into or out of the selection become ADDED/DELETED, as in Kubernetes.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchLine> _lines = Channel.CreateUnbounded<WatchLine>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<WatchSubscription> _unsubscribe;
    private int _dropRequested;

    internal WatchSubscription(ApiResourceInfo resource, string? @namespace, LabelSelectorQuery labels, FieldQuery fields, Action<WatchSubscription> unsubscribe)
    {
        Resource = resource;
        Namespace = @namespace;
        Labels = labels;
        Fields = fields;
        _unsubscribe = unsubscribe;
    }

    public ApiResourceInfo Resource { get; }

    public string? Namespace { get; }

    public LabelSelectorQuery Labels { get; }

    public FieldQuery Fields { get; }

    public ChannelReader<WatchLine> Lines => _lines.Reader;

    /// <summary>Cancelled when a fault drops the connection.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool Matches(JsonObject item) =>
        (string.IsNullOrEmpty(Namespace) || StoredObject.Namespace(item) == Namespace)
        && (Labels.IsEverything || Labels.Matches(StoredObject.Labels(item)))
        && Fields.Matches(item);

    internal void Offer(StoredEvent change)
    {
        if (change.Resource != Resource)
        {
            return;
        }

        var now = Matches(change.Object);
        var before = change.Previous is not null && Matches(change.Previous);
        var type = change.Type switch
        {
            "DELETED" when now || before => "DELETED",
            "ADDED" when now => "ADDED",
            "MODIFIED" when now && before => "MODIFIED",
            "MODIFIED" when now => "ADDED",
            "MODIFIED" when before => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            _lines.Writer.TryWrite(change.Line(type));
        }
    }

    internal void OfferInitial(string type, JsonObject item) => _lines.Writer.TryWrite(new WatchLine(type, item));

    internal void OfferBookmark(long version) =>
        _lines.Writer.TryWrite(new WatchLine("BOOKMARK", new JsonObject
        {
            ["kind"] = Resource.Kind,
            ["apiVersion"] = Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
        }));

    /// <summary>Drops the connection; false when it was already dropped (its cleanup may not have run yet).</summary>
    internal bool Drop()
    {
        if (Interlocked.Exchange(ref _dropRequested, 1) == 1)
        {
            return false;
        }

        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch ended on its own meanwhile.
        }

        return true;
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _lines.Writer.TryComplete();
        _dropped.Dispose();
    }
}
