namespace Beacon.Hosting.Metrics;

/// <summary>A double updated lock-free (compare-and-swap on its bits), so counters and gauges are cheap on hot paths.</summary>
internal sealed class AtomicDouble
{
    private long _bits;

    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double delta) => Update(current => current + delta);

    /// <summary>Raises the value to <paramref name="value"/> if it is higher; never lowers it.</summary>
    public void RaiseTo(double value) => Update(current => Math.Max(current, value));

    private void Update(Func<double, double> change)
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _bits);
            var next = BitConverter.DoubleToInt64Bits(change(BitConverter.Int64BitsToDouble(seen)));
            if (Interlocked.CompareExchange(ref _bits, next, seen) == seen)
                return;
        }
    }
}
