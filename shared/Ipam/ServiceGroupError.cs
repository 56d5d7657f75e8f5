namespace Beacon.Ipam;

/// <summary>One precise problem with a ServiceGroup: which group, which field (YAML path), what is wrong.</summary>
public sealed record ServiceGroupError(string Group, string Field, GroupErrorCode Code, string Message)
{
    public override string ToString() => $"ServiceGroup '{Group}' {Field}: {Message}";
}
