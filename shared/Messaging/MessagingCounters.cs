using Beacon.Contracts;

namespace Beacon.Messaging;

/// <summary>
/// Lock-free counters a metrics registry can read with <see cref="Snapshot"/>: names are
/// <c>messaging.&lt;counter&gt;</c> and <c>messaging.dropped.&lt;DecodeErrorKind&gt;</c> (snake_case).
/// </summary>
public sealed class MessagingCounters
{
    private readonly long[] _counters = new long[Enum.GetValues<MessagingCounter>().Length];
    private readonly long[] _dropped = new long[Enum.GetValues<DecodeErrorKind>().Length];

    public void Increment(MessagingCounter counter) => Interlocked.Increment(ref _counters[(int)counter]);

    public void Add(MessagingCounter counter, long amount) => Interlocked.Add(ref _counters[(int)counter], amount);

    public void Dropped(DecodeErrorKind kind) => Interlocked.Increment(ref _dropped[(int)kind]);

    public long Get(MessagingCounter counter) => Interlocked.Read(ref _counters[(int)counter]);

    public long GetDropped(DecodeErrorKind kind) => Interlocked.Read(ref _dropped[(int)kind]);

    public long TotalDropped
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _dropped.Length; i++)
            {
                total += Interlocked.Read(ref _dropped[i]);
            }

            return total;
        }
    }

    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var counter in Enum.GetValues<MessagingCounter>())
        {
            values["messaging." + SnakeCase(counter.ToString())] = Get(counter);
        }

        foreach (var kind in Enum.GetValues<DecodeErrorKind>())
        {
            values["messaging.dropped." + SnakeCase(kind.ToString())] = GetDropped(kind);
        }

        return values;
    }

    private static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
