namespace Beacon.Allocator.Tests.Formats;

/// <summary>
/// Bad input, kind by kind: one malformed resource of each accepted foreign kind is named (kind and name, file and
/// line) among the problems that beaconctl status and the ConfigurationState list, and a good pool beside it keeps
/// serving its Service. Never a crash, never a lost address.
/// </summary>
public sealed class MalformedForeignKindTests
{
    private const string GoodPool = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: { name: good, namespace: metallb-system }
        spec: { addresses: [10.0.0.0/28] }
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
          annotations: { metallb.io/address-pool: good }
        spec:
          type: LoadBalancer
          ports: [{ port: 80 }]

        """;

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "IPAddressPool", "broken", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: { name: broken, namespace: metallb-system }\nspec: { addresses: 5 }\n" },
        { "L2Advertisement", "broken", "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: { name: broken, namespace: metallb-system }\nspec: { ipAddressPools: good, interfaces: 7 }\n" },
        { "BGPAdvertisement", "broken", "apiVersion: metallb.io/v1beta1\nkind: BGPAdvertisement\nmetadata: { name: broken, namespace: metallb-system }\nspec: { aggregationLength: wide }\n" },
        { "BGPPeer", "broken", "apiVersion: metallb.io/v1beta2\nkind: BGPPeer\nmetadata: { name: broken, namespace: metallb-system }\nspec: { myASN: x, peerASN: 2, peerAddress: 10.0.0.1 }\n" },
        { "BFDProfile", "broken", "apiVersion: metallb.io/v1beta1\nkind: BFDProfile\nmetadata: { name: broken, namespace: metallb-system }\nspec: { receiveInterval: fast }\n" },
        { "Community", "broken", "apiVersion: metallb.io/v1beta1\nkind: Community\nmetadata: { name: broken, namespace: metallb-system }\nspec: { communities: 5 }\n" },
        { "Eip", "broken", "apiVersion: network.kubesphere.io/v1alpha2\nkind: Eip\nmetadata: { name: broken }\nspec: { address: [1, 2] }\n" },
        { "BgpConf", "default", "apiVersion: network.kubesphere.io/v1alpha2\nkind: BgpConf\nmetadata: { name: default }\nspec: { as: x }\n" },
        { "BgpPeer", "broken", "apiVersion: network.kubesphere.io/v1alpha2\nkind: BgpPeer\nmetadata: { name: broken }\nspec: { conf: 5 }\n" },
        { "ServiceGroup", "broken", "apiVersion: purelb.io/v2\nkind: ServiceGroup\nmetadata: { name: broken, namespace: purelb-system }\nspec: { local: { v4pools: 5 } }\n" },
        { "LBNodeAgent", "broken", "apiVersion: purelb.io/v2\nkind: LBNodeAgent\nmetadata: { name: broken, namespace: purelb-system }\nspec: { local: { garpConfig: { count: 99 } } }\n" },
        { "config", "config", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config, namespace: metallb-system }\ndata:\n  config: \"address-pools: [ {\"\n" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_resource_is_named_and_a_good_pool_beside_it_keeps_serving(string kind, string name, string yaml)
    {
        var world = FormatWorld.Of(("good.yaml", GoodPool), ("broken.yaml", yaml));

        var problems = world.Snapshot.Problems.Select(p => p.ToString())
            .Concat(world.Translation.Problems.Where(p => p.Rejected).Select(p => p.ToString()))
            .Concat(world.Engine.Groups.Errors.Select(e => $"{e.Group}: {e.Field}: {e.Message}"))
            .ToList();
        problems.Should().Contain(p => p.Contains(name, StringComparison.Ordinal) && (p.Contains(kind, StringComparison.Ordinal) || p.StartsWith("broken.yaml:", StringComparison.Ordinal)),
            $"the malformed {kind} must be named; problems: {string.Join(" | ", problems)}");
        world.ReconcileAll()["default/web"].Addresses.Should().ContainSingle().Which.Address.ToString().Should().StartWith("10.0.0.");
    }
}
