namespace Beacon.Networking.Addresses;

/// <summary>Remaining valid and preferred lifetimes of an address; null means forever (0xFFFFFFFF on the wire).</summary>
public readonly record struct AddressLifetime(TimeSpan? Valid, TimeSpan? Preferred)
{
    public const uint Forever = uint.MaxValue;

    public static AddressLifetime Permanent => new(null, null);

    public bool IsFinite => Valid is not null;

    internal static TimeSpan? FromWire(uint seconds) => seconds == Forever ? null : TimeSpan.FromSeconds(seconds);

    /// <param name="minimum">1 for a valid lifetime (0 would delete the address); 0 is a valid preferred lifetime (deprecated).</param>
    internal static uint ToWire(TimeSpan? lifetime, uint minimum = 1) =>
        lifetime is null ? Forever : (uint)Math.Clamp(Math.Ceiling(lifetime.Value.TotalSeconds), minimum, Forever - 1);
}
