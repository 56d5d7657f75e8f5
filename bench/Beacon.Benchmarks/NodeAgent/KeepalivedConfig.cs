using System.Globalization;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>A minimal keepalived VRRP instance for the failover comparison: one VIP, preempting priorities.</summary>
internal static class KeepalivedConfig
{
    /// <param name="advertInterval">Seconds between adverts (VRRPv2: whole seconds; VRRPv3: down to 0.01).</param>
    public static string For(string node, int priority, string advertInterval, int version) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            global_defs {
                router_id {{node}}
                vrrp_version {{version}}
                enable_script_security
            }
            vrrp_instance beacon_bench {
                state BACKUP
                interface eth0
                virtual_router_id 51
                priority {{priority}}
                advert_int {{advertInterval}}
                virtual_ipaddress {
                    {{FailoverLab.Vip}}/32 dev eth0
                }
            }
            """);
}
