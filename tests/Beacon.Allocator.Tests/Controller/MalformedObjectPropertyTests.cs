using Beacon.Allocator.Controller;
using Beacon.Allocator.Mapping;
using Beacon.Kube.Models;
using FsCheck;
using FsCheck.Fluent;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>
/// One bad object never stops allocation: random and malformed Services, ServiceGroups, EndpointSlices and Nodes fed
/// (unvalidated) through the whole loop leave it allocating, and valid Services keep the addresses they had.
/// </summary>
public sealed class MalformedObjectPropertyTests
{
    private static readonly LoadBalancerClassFilter Classes = new("beacon.io/beacon", ["purelb.io/purelb"], true);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly string?[] Names =
        [null, "", "A", "bad name", "\uFFFD\uFFFD", "x.y", "-x", "x-", "ok", new string('a', 300), "a*", "a>b", "ns/x", "1abc"];

    private static readonly string?[] Namespaces = [null, "", "Apps", "\uFFFD", "apps", new string('n', 70), "a.b", "*"];

    private static readonly string?[] Texts = [null, "", "garbage", "10.0.0.250", "10.0.0.2", "::1", "10.0.0.1,,::1", "0.0.0.0/0", "10.9.0.0/33", "10.0.0.9-10.0.0.1", "\uFFFD"];

    private static Gen<T> OneOf<T>(IEnumerable<T> values) => Gen.Elements(values.ToArray());

    private static Gen<Service> BadService() =>
        from name in OneOf(Names)
        from ns in OneOf(Namespaces)
        from type in OneOf<string?>([null, "LoadBalancer", "Weird", ""])
        from ports in OneOf<List<ServicePort>?>([null, [], [new ServicePort { Port = 0 }], [new ServicePort { Port = -1, Protocol = "XYZ" }], [new ServicePort { Port = 70000 }]])
        from annotation in OneOf<string?>(["purelb.io/addresses", "purelb.io/service-group", "purelb.io/allow-shared-ip", "purelb.io/addresses-v6", null])
        from value in OneOf(Texts)
        from ingress in OneOf(Texts)
        from families in OneOf<List<string>?>([null, ["IPv7"], ["IPv6"], [null!], []])
        from policy in OneOf<string?>([null, "Local", "Nope"])
        from lbClass in OneOf<string?>([null, "", "weird/x", "purelb.io/purelb"])
        from broken in Gen.Choose(0, 9)
        select new Service
        {
            Metadata = broken == 0 ? null! : new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                Annotations = annotation is null ? null : new Dictionary<string, string> { [annotation] = value! },
                CreationTimestamp = broken == 1 ? null : DateTimeOffset.UnixEpoch.AddDays(1),
            },
            Spec = broken == 2 ? null! : new ServiceSpec
            {
                Type = type, Ports = ports, IPFamilies = families, ExternalTrafficPolicy = policy, LoadBalancerClass = lbClass,
                IPFamilyPolicy = broken == 3 ? "Garbage" : null,
            },
            Status = ingress is null ? null : new ServiceStatus
            {
                LoadBalancer = broken == 4 ? null : new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = ingress, Hostname = ingress }] },
            },
        };

    private static Gen<ServiceGroup> BadGroup() =>
        from name in OneOf(Names)
        from subnet in OneOf(Texts)
        from pool in OneOf(Texts)
        from shape in Gen.Choose(0, 5)
        select new ServiceGroup
        {
            Metadata = shape == 0 ? null! : new ObjectMeta { Name = name, Namespace = "beacon-system", CreationTimestamp = DateTimeOffset.UnixEpoch.AddDays(2) },
            Spec = shape switch
            {
                1 => null!,
                2 => new ServiceGroupSpec(),
                3 => new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pools = [null!, new AddressPool { Subnet = subnet, Pool = pool }] } },
                4 => new ServiceGroupSpec { Remote = new ServiceGroupPools { Subnet = subnet, Pool = pool } },
                _ => new ServiceGroupSpec { Local = new ServiceGroupPools { V4Pool = new AddressPool { Subnet = subnet, Pool = pool } }},
            },
        };

    private static Gen<EndpointSlice> BadSlice() =>
        from name in OneOf(Names)
        from service in OneOf<string?>([null, "", "v0", "\uFFFD", "v1"])
        from node in OneOf(Names)
        from shape in Gen.Choose(0, 4)
        select new EndpointSlice
        {
            Metadata = shape == 0 ? null! : new ObjectMeta
            {
                Name = name,
                Namespace = "apps",
                Labels = service is null ? null : new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = service },
            },
            Endpoints = shape switch
            {
                1 => null,
                2 => [null!],
                3 => [new Endpoint { Addresses = null!, NodeName = node }],
                _ => [new Endpoint { Addresses = ["10.1.0.1"], NodeName = node, Conditions = new EndpointConditions { Ready = true } }],
            },
        };

    private static Gen<Node> BadNode() =>
        from name in OneOf(Names)
        from address in OneOf(Texts)
        from shape in Gen.Choose(0, 3)
        select new Node
        {
            Metadata = shape == 0 ? null! : new ObjectMeta { Name = name, Labels = shape == 1 ? new Dictionary<string, string> { [""] = "" } : null },
            Status = shape == 2 ? null : new NodeStatus
            {
                Addresses = [new NodeAddress { Type = "InternalIP", Address = address }, null!],
                Conditions = [null!, new NodeCondition { Type = "Ready", Status = address }],
            },
        };

    private sealed record Garbage(List<Service> Services, List<ServiceGroup> Groups, List<EndpointSlice> Slices, List<Node> Nodes);

    private static Gen<Garbage> Garbages(string kinds) =>
        from services in BadService().ListOf()
        from groups in BadGroup().ListOf()
        from slices in BadSlice().ListOf()
        from nodes in BadNode().ListOf()
        select new Garbage(
            services.Take(kinds.Contains('s', StringComparison.Ordinal) ? 12 : 0).ToList(),
            groups.Take(kinds.Contains('g', StringComparison.Ordinal) ? 4 : 0).ToList(),
            slices.Take(kinds.Contains('e', StringComparison.Ordinal) ? 6 : 0).ToList(),
            nodes.Take(kinds.Contains('n', StringComparison.Ordinal) ? 4 : 0).ToList());

    /// <param name="kinds">Which garbage: s(ervices), g(roups), e(ndpointslices), n(odes); each alone first, so a failure names its kind.</param>
    [Theory]
    [InlineData("s")]
    [InlineData("g")]
    [InlineData("e")]
    [InlineData("n")]
    [InlineData("sgen")]
    public void Malformed_objects_never_stop_allocation_and_never_move_a_valid_address(string kinds)
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(Garbages(kinds).ToArbitrary(), garbage =>
            RunAsync(garbage).GetAwaiter().GetResult()));
    }

    private static async Task<string> AddressAsync(RecordingAllocationWriter writer, string key, CollectingLogger log, Garbage garbage)
    {
        try
        {
            return await writer.AddressOfAsync(key).WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{key} got no address; the loop reported:\n{log}\n{Describe(garbage)}");
        }
    }

    private static string Describe(Garbage garbage) =>
        string.Join("\n", garbage.Services.Cast<Beacon.Kube.Models.KubeObject>().Concat(garbage.Groups).Concat(garbage.Slices).Concat(garbage.Nodes)
            .Select(o => o.GetType().Name + " " + System.Text.Json.JsonSerializer.Serialize(o, o.GetType(), Beacon.Kube.Json.KubeJsonContext.Default)));

    private static async Task<bool> RunAsync(Garbage garbage)
    {
        var source = new InMemoryAllocatorSource();
        // Named "default": preferred over any other group, so a garbage group that happens to be valid cannot take new Services.
        source.GroupObjects["default"] = Group("default", "10.0.0.0/24", "10.0.0.1-10.0.0.200");
        for (var i = 0; i < 3; i++)
        {
            source.ServiceObjects[$"apps/v{i}"] = Service($"v{i}", ns: "apps");
        }

        var writer = new RecordingAllocationWriter();
        var sink = new SubjectCheckingSink();
        var queue = new WorkQueue();
        var log = new CollectingLogger();
        var loop = new AllocationLoop(source, writer, sink, Classes, new AnnouncementTracker(), queue, log, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var term = Task.Run(() => loop.RunTermAsync(stop.Token));
        var before = new Dictionary<string, string>();
        for (var i = 0; i < 3; i++)
        {
            before[$"apps/v{i}"] = await AddressAsync(writer, $"apps/v{i}", log, garbage);
        }

        // Every Service is published again below (the whole-set requeue); starting empty shows that it was.
        sink.Published.Clear();

        // The garbage arrives the way informer events would: each object queues its own key, groups and nodes queue everything.
        var n = 0;
        foreach (var service in garbage.Services)
        {
            var key = $"bad{n++}";
            source.ServiceObjects[key] = service;
            queue.Add(key);
            queue.Add(service.Metadata is { } m ? $"{m.Namespace}/{m.Name}" : key);
        }

        foreach (var group in garbage.Groups)
        {
            source.GroupObjects[$"bad{n++}"] = group;
        }

        foreach (var slice in garbage.Slices)
        {
            source.SliceObjects[$"bad{n++}"] = slice;
        }

        foreach (var node in garbage.Nodes)
        {
            source.NodeObjects[$"bad{n++}"] = node;
        }

        queue.Add(WorkQueue.Groups);
        queue.Add(WorkQueue.AllServices);

        // Still allocating: a Service created after the garbage gets an address and is published.
        source.ServiceObjects["apps/late"] = Service("late", ns: "apps");
        queue.Add("apps/late");
        var late = await AddressAsync(writer, "apps/late", log, garbage);
        term.IsCompleted.Should().BeFalse(term.Exception?.ToString());
        late.Should().StartWith("10.0.0.");
        before.Values.Should().NotContain(late);
        sink.Published.Keys.Should().Contain(new Beacon.Contracts.ServiceKey("apps", "late"), log.ToString());
        foreach (var (key, address) in before)
        {
            sink.Published.Keys.Should().Contain(new Beacon.Contracts.ServiceKey("apps", key[5..]), "{0} is still published; log:\n{1}", key, log);
            writer.Addresses[key].Should().Be(address, $"{key} must keep its address");
        }

        await stop.CancelAsync();
        await term.ContinueWith(_ => { }, TaskScheduler.Default);
        return true;
    }
}
