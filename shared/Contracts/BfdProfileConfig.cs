namespace Beacon.Contracts;

/// <summary>A BFD profile (MetalLB BFDProfile); null fields take the daemon's defaults.</summary>
public sealed record BfdProfileConfig(
    string Name,
    int? ReceiveInterval,
    int? TransmitInterval,
    int? DetectMultiplier,
    int? EchoInterval,
    bool? EchoMode,
    bool? PassiveMode,
    int? MinimumTtl);
