using System.ComponentModel;
using System.Net;
using Beacon.Hosting.Options;

namespace Beacon.Hosting;

/// <summary>Where /healthz, /readyz and /metrics are served.</summary>
public sealed class HttpOptions : IValidatableOptions
{
    [Description("Address the HTTP endpoints listen on. 0.0.0.0 lets kubelet probes and Prometheus reach the pod or node IP; use 127.0.0.1 to keep them local.")]
    public string Address { get; set; } = "0.0.0.0";

    [Description("Port for /healthz, /readyz and /metrics; 0 picks a free port (the chosen one is logged).")]
    public int Port { get; set; }

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!IPAddress.TryParse(Address, out _))
            problems.Add(nameof(Address), $"'{Address}' is not an IP address", "use an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::");
        problems.RequireRange(nameof(Port), Port, 0, 65535);
    }
}
