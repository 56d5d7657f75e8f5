namespace Beacon.Kube.CustomResources;

/// <summary>Where the purelb.io/v1 custom resources live in the API.</summary>
public static class PureLbResources
{
    public const string Group = "purelb.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
    public const string ServiceGroups = "servicegroups";
    public const string LBNodeAgents = "lbnodeagents";
}
