using Beacon.Allocator.Controller;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>
/// The echoes of the Allocator's own writes are recognised (and only they): each Service's patch and status update come
/// back as watch updates, and reconsidering them cost a reconcile each without ever changing anything.
/// </summary>
public sealed class OwnServiceWritesTests
{
    private static Service At(string version)
    {
        var service = KubeObjects.Service("web");
        service.Metadata.ResourceVersion = version;
        return service;
    }

    private static OwnServiceWrites AfterPatchAndStatus()
    {
        var writes = new OwnServiceWrites();
        // Read at 10, patched → 11, status written → 12.
        writes.Record("default/web", new ServiceWriteResult(At("12"), ["10", "11"], ["11"]));
        return writes;
    }

    [Fact]
    public void The_versions_our_writes_produced_are_echoes_and_the_last_one_ends_the_record()
    {
        var writes = AfterPatchAndStatus();

        writes.IsEcho("default/web", "11").Should().BeTrue("the patch's own version");
        writes.IsEcho("default/web", "12").Should().BeTrue("the status update's own version");
        writes.Count.Should().Be(0, "the cache has caught up with everything written");
        writes.IsEcho("default/web", "12").Should().BeFalse("a record ends once its last version came back");
    }

    [Theory]
    [InlineData("10")] // the version our write replaced: someone else's
    [InlineData("13")] // a later change by someone else
    [InlineData("")]
    [InlineData(null)]
    public void Any_other_version_is_not_an_echo(string? version) =>
        AfterPatchAndStatus().IsEcho("default/web", version).Should().BeFalse();

    [Fact]
    public void Another_service_is_never_an_echo() => AfterPatchAndStatus().IsEcho("default/other", "12").Should().BeFalse();

    [Fact]
    public void While_the_cache_shows_a_replaced_version_the_written_object_is_current()
    {
        var writes = AfterPatchAndStatus();

        writes.Current("default/web", At("10"))!.Metadata.ResourceVersion.Should().Be("12");
        writes.Current("default/web", At("13"))!.Metadata.ResourceVersion.Should().Be("13", "a newer version from elsewhere wins");
        writes.Count.Should().Be(0);
    }

    [Fact]
    public void A_forgotten_service_has_no_echoes()
    {
        var writes = AfterPatchAndStatus();
        writes.Forget("default/web");
        writes.IsEcho("default/web", "12").Should().BeFalse();
    }
}
