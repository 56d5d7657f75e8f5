using System.Threading.Channels;
using Beacon.Messaging;

namespace Beacon.Messaging.Tests.Bus;

/// <summary>Collects messages delivered to a subscription so tests can await them instead of sleeping.</summary>
internal sealed class Inbox
{
    private readonly Channel<BusMessage> _messages = Channel.CreateUnbounded<BusMessage>();

    public ValueTask Handle(BusMessage message, CancellationToken cancellationToken)
    {
        _messages.Writer.TryWrite(message);
        return ValueTask.CompletedTask;
    }

    public async Task<BusMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/> (used only after a flush made delivery certain).</summary>
    public async Task<bool> StaysEmptyAsync(TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            await _messages.Reader.WaitToReadAsync(cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
