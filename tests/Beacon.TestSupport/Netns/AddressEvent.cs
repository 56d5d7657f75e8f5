namespace Beacon.TestSupport.Netns;

/// <summary>
/// One kernel address notification seen by <see cref="AddressEventWatch"/>: an address added (or refreshed: a lifetime
/// update is also an RTM_NEWADDR) or deleted on a node's device, stamped with the test clock when it was read.
/// </summary>
public sealed record AddressEvent(TimeSpan At, string Node, string Device, string Address, bool Deleted)
{
    public override string ToString() =>
        $"{At.TotalSeconds,8:F3}s {Node} {(Deleted ? "deleted" : "added/refreshed")} {Address} on {Device}";

    /// <summary>
    /// Parses one line of <c>ip -o monitor address</c>, e.g.
    /// <c>Deleted 3: eth0    inet 198.18.0.201/32 scope global eth0\       valid_lft 9sec preferred_lft 9sec</c>.
    /// Null for lines that are not address notifications.
    /// </summary>
    public static AddressEvent? Parse(TimeSpan at, string node, string line)
    {
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var deleted = words.Length > 0 && words[0] == "Deleted";
        var first = deleted ? 1 : 0;
        var family = Array.FindIndex(words, w => w is "inet" or "inet6");
        if (family < first + 2 || family + 1 >= words.Length || !words[first].EndsWith(':'))
        {
            return null;
        }

        return new AddressEvent(at, node, words[first + 1], words[family + 1], deleted);
    }
}
