using Beacon.Allocator.Standalone;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Tests.Standalone;

public sealed class AssignmentStateFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("beacon-state-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Saves_and_loads_assignments_leaving_no_temporary_file()
    {
        var file = new AssignmentStateFile(Path.Combine(directory, "sub", "state.json"));
        var service = new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default", Annotations = new() { ["purelb.io/allocated-from"] = "default" } },
            Status = new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = [new LoadBalancerIngress { IP = "192.168.1.240", IpMode = "VIP" }] } },
        };

        file.Load().Should().BeEmpty("a missing file is a first start");
        file.Save([service]);
        file.Save([service]);

        var loaded = file.Load().Single();
        loaded.Key.Should().Be("default/web");
        loaded.Status!.LoadBalancer!.Ingress!.Single().IP.Should().Be("192.168.1.240");
        Directory.GetFiles(Path.Combine(directory, "sub")).Select(Path.GetFileName).Should().Equal("state.json");
    }

    [Fact]
    public void A_corrupt_file_is_refused_with_its_path_rather_than_silently_ignored()
    {
        var path = Path.Combine(directory, "state.json");
        File.WriteAllText(path, "{ not json");

        var act = () => new AssignmentStateFile(path).Load();

        act.Should().Throw<InvalidDataException>().WithMessage($"{path} is not a Beacon state file*");
    }
}
