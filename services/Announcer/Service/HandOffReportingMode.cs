using Beacon.Announcer.Modes;
using Beacon.Contracts;
using Beacon.Messaging;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Service;

/// <summary>
/// A routing mode that, after each successful apply, reports on <c>beacon.v1.announcements.&lt;node&gt;</c> which BGP
/// peers each address's route was handed to (an <see cref="Announcement"/> with <see cref="Announcement.Peers"/>), for
/// the Allocator's ServiceBGPStatus. Only changes are published; <see cref="ReportAllAgain"/> makes the next apply
/// report everything (a new Allocator term, a reconnect). A report that cannot be sent is retried on the next apply.
/// </summary>
public sealed partial class HandOffReportingMode(IAnnouncerMode inner, IEventBus bus, string node, ILogger logger) : IAnnouncerMode
{
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, HandOff> _reported = new Dictionary<string, HandOff>(StringComparer.Ordinal);

    public string Name => inner.Name;

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public async Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        var outcome = await inner.ApplyAsync(desired, cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            await ReportAsync(HandOffReport.Of(desired), cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>Forgets what was reported: the next apply reports every address again.</summary>
    public void ReportAllAgain()
    {
        lock (_gate)
        {
            _reported = new Dictionary<string, HandOff>(StringComparer.Ordinal);
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task ReportAsync(IReadOnlyDictionary<string, HandOff> now, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, HandOff> reported;
        lock (_gate)
        {
            reported = _reported;
        }

        var sent = new Dictionary<string, HandOff>(StringComparer.Ordinal);
        foreach (var (address, handOff) in HandOffReport.Changes(reported, now))
        {
            var report = new Announcement(node, handOff.Service, address, handOff.Interface, handOff.Role, "handed to BGP peers", DateTimeOffset.UtcNow, handOff.Peers);
            try
            {
                if (await bus.PublishEventAsync(Subjects.Announcements(node), EventTypes.Announcement, report, EventSources.Announcer(node), node, cancellationToken)
                        .ConfigureAwait(false))
                {
                    sent[address] = handOff;
                }
            }
            catch (Exception e) when (e is EventBusUnavailableException or MessageTooLargeException or IOException)
            {
                LogReportFailed(logger, address, e.Message);
            }
        }

        lock (_gate)
        {
            if (!ReferenceEquals(reported, _reported))
            {
                // Forgotten meanwhile: everything goes out again on the next apply.
                return;
            }

            // Unchanged ones stay reported, sent ones are now reported, addresses that left the set are forgotten.
            _reported = now
                .Where(n => sent.ContainsKey(n.Key) || (reported.TryGetValue(n.Key, out var before) && before.Equals(n.Value)))
                .ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the BGP peers of {Address}: {Reason}; reported again on the next apply")]
    private static partial void LogReportFailed(ILogger logger, string address, string reason);
}
