namespace Beacon.Kube.Config;

/// <summary>The cluster connection could not be configured (missing file, bad kubeconfig, unsupported auth...).</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
