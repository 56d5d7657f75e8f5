namespace Beacon.Networking.Addresses;

/// <summary>Remaining valid and preferred lifetimes of an address; null means forever (0xFFFFFFFF on the wire).</summary>
public readonly record struct AddressLifetime(TimeSpan? Valid, TimeSpan? Preferred)
{
    public const uint Forever = uint.MaxValue;

    public static AddressLifetime Permanent => new(null, null);

    public bool IsFinite => Valid is not null;

    internal static TimeSpan? FromWire(uint seconds) => seconds == Forever ? null : TimeSpan.FromSeconds(seconds);

    internal static uint ToWire(TimeSpan? lifetime) =>
        lifetime is null ? Forever : (uint)Math.Clamp(Math.Ceiling(lifetime.Value.TotalSeconds), 1, Forever - 1);
}
