using Beacon.TestSupport.Netns;

namespace Beacon.Images.Tests;

/// <summary>Each built archive is the image images/images.json defines, and its entrypoint works in its own root filesystem.</summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class ImageContentTests
{
    public static TheoryData<string> Names => ImageCatalog.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void The_archive_is_one_OCI_image_named_for_docker_and_containerd_with_the_defined_entrypoint_and_user(string name)
    {
        var image = ImageCatalog.Named(name);
        var archive = OciArchive.Read(image.Archive);

        archive.EntryNames.Should().Contain(["oci-layout", "index.json"]);
        var annotations = archive.ManifestDescriptor["annotations"]!;
        annotations["io.containerd.image.name"]!.GetValue<string>().Should().Be(image.Reference, "docker load and ctr import name the image after it");
        annotations["org.opencontainers.image.ref.name"]!.GetValue<string>().Should().Be(image.Tag);

        var configuration = archive.Configuration;
        configuration["architecture"]!.GetValue<string>().Should().Be("amd64");
        configuration["os"]!.GetValue<string>().Should().Be("linux");
        var config = configuration["config"]!;
        config["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Equal(image.Entrypoint);
        config["User"]!.GetValue<string>().Should().Be(image.User);
        archive.Manifest["layers"]!.AsArray().Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_entrypoint_prints_its_help_and_exits_0_inside_the_unpacked_root_filesystem(string name)
    {
        using var unpacked = await UnpackedImage.UnpackAsync(ImageCatalog.Named(name));
        var command = unpacked.EntrypointCommandLine("--help");

        var result = await HostCommand.RunAsync(command[0], command.Skip(1), TimeSpan.FromSeconds(60));

        result.ExitCode.Should().Be(0, result.ToString());
        (result.StandardOutput + result.StandardError).Should().Contain("Usage", result.ToString());
    }

    [Fact]
    public void Only_the_node_components_and_the_routing_daemon_sidecars_run_as_root_and_only_they_need_capabilities()
    {
        foreach (var image in ImageCatalog.Images)
        {
            image.RunsAsRoot.Should().Be(image.Capabilities.Count > 0, $"{image.Name}: root only where NET_ADMIN/NET_RAW must be effective");
        }

        ImageCatalog.Named("allocator").User.Should().Be("65532:65532");
        ImageCatalog.Named("beaconctl").User.Should().Be("65532:65532");
        ImageCatalog.Named("nodeagent").Capabilities.Should().BeEquivalentTo(["NET_ADMIN", "NET_RAW"]);
        ImageCatalog.Named("announcer").Capabilities.Should().BeEquivalentTo(["NET_ADMIN", "NET_RAW"]);
        ImageCatalog.Named("announcer-frr").Capabilities.Should().BeEquivalentTo(["NET_ADMIN", "NET_RAW"]);
        ImageCatalog.Named("gobgp").Capabilities.Should().BeEquivalentTo(["NET_BIND_SERVICE"], "gobgpd only binds TCP 179");
    }
}
