namespace Beacon.TestSupport.Processes;

/// <summary>
/// The smallest standalone manifest directory that gives one Service an address on one node: a purelb.io/v1 group on
/// 192.0.2.0/24, a ready Node with an InternalIP in it, and a LoadBalancer Service in that group.
/// </summary>
public static class SingleNodeManifests
{
    public static string For(string nodeName) => $$"""
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata:
          name: lan
          namespace: beacon-system
        spec:
          local:
            v4pool:
              subnet: 192.0.2.0/24
              pool: 192.0.2.200-192.0.2.209
              aggregation: default
        ---
        apiVersion: v1
        kind: Node
        metadata:
          name: {{nodeName}}
        status:
          addresses:
            - { type: InternalIP, address: 192.0.2.2 }
          conditions:
            - { type: Ready, status: "True" }
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: demo
          annotations:
            purelb.io/service-group: lan
        spec:
          type: LoadBalancer
          ports:
            - { name: http, port: 80, protocol: TCP }
        """;
}
