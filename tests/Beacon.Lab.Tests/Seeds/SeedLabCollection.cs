namespace Beacon.Lab.Tests.Seeds;

/// <summary>The seed labs run one after another: each is a dozen processes, and the machine has few cores.</summary>
[CollectionDefinition(Name)]
public sealed class SeedLabCollection
{
    public const string Name = "Seed labs";
}
