namespace Beacon.Ipam;

/// <summary>
/// Used/free bookkeeping for one range with memory proportional to the addresses handed out, not the range size.
/// Invariant: every address in [first, cursor) that can be handed out is either used or in <c>holes</c>; addresses
/// at or above the cursor are free unless in <c>used</c> (explicit requests land anywhere). The lowest free address is
/// therefore the smallest hole, or the cursor after skipping used addresses — each skipped once, so amortised O(log n).
/// </summary>
internal sealed class RangeAllocator
{
    private readonly HashSet<UInt128> used = [];
    private readonly SortedSet<UInt128> holes = [];
    private readonly bool avoidBuggy;
    private UInt128 cursor;
    private bool cursorPastEnd;

    public RangeAllocator(AddressRange range, bool avoidBuggy)
    {
        Range = range;
        this.avoidBuggy = avoidBuggy && range.Family == IpFamily.IPv4;
        cursor = range.First.Value;
    }

    public AddressRange Range { get; }

    public int UsedCount => used.Count;

    public bool Contains(NumericAddress address) => Range.Contains(address);

    public bool IsUsed(NumericAddress address) => used.Contains(address.Value);

    /// <summary>The lowest address that can be handed out, without taking it.</summary>
    public bool TryPeekLowestFree(out NumericAddress address)
    {
        if (holes.Count > 0)
        {
            address = new NumericAddress(Range.Family, holes.Min);
            return true;
        }

        while (!cursorPastEnd && (used.Contains(cursor) || IsExcluded(cursor)))
        {
            Advance();
        }

        address = new NumericAddress(Range.Family, cursor);
        return !cursorPastEnd;
    }

    public void MarkUsed(NumericAddress address)
    {
        if (used.Add(address.Value) && IsBelowCursor(address.Value))
        {
            holes.Remove(address.Value);
        }
    }

    public void MarkFree(NumericAddress address)
    {
        if (used.Remove(address.Value) && IsBelowCursor(address.Value) && !IsExcluded(address.Value))
        {
            holes.Add(address.Value);
        }
    }

    private bool IsBelowCursor(UInt128 value) => cursorPastEnd || value < cursor;

    private bool IsExcluded(UInt128 value) => avoidBuggy && ((value & 0xFF) == 0 || (value & 0xFF) == 0xFF);

    private void Advance()
    {
        if (cursor == Range.Last.Value)
        {
            cursorPastEnd = true;
        }
        else
        {
            cursor++;
        }
    }
}
