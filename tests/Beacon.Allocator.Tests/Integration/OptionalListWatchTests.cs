using System.Net;
using Beacon.Kube.Informers;
using Beacon.Kube.Models;
using k8s.Autorest;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>A foreign kind whose CRD is not installed must not hold the Allocator up, and is picked up once installed.</summary>
public sealed class OptionalListWatchTests
{
    [Fact]
    public async Task A_kind_that_is_not_installed_syncs_empty_and_is_followed_once_its_definition_appears()
    {
        var inner = new InstallableListWatch();
        var informer = new Informer<CustomObject>(new OptionalListWatch<CustomObject>(inner, TimeSpan.FromMilliseconds(20), NullLogger.Instance));
        var added = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        informer.AddHandler((e, _) =>
        {
            added.TrySetResult(e.Object.Key);
            return ValueTask.CompletedTask;
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(stop.Token);
        informer.Count.Should().Be(0);

        inner.Install(new CustomObject { ApiVersion = "metallb.io/v1beta1", Kind = "IPAddressPool", Metadata = new ObjectMeta { Name = "office", Namespace = "metallb-system" } });
        (await added.Task.WaitAsync(stop.Token)).Should().Be("metallb-system/office");
        informer.GetByKey("metallb-system/office").Should().NotBeNull();

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Other_errors_are_not_taken_for_a_missing_kind()
    {
        var failing = new FailingListWatch(HttpStatusCode.InternalServerError);
        var optional = new OptionalListWatch<CustomObject>(failing, TimeSpan.FromMilliseconds(20), NullLogger.Instance);

        var list = () => optional.ListAsync(10, CancellationToken.None);

        await list.Should().ThrowAsync<HttpOperationException>();
        optional.Missing.Should().BeFalse();
    }

    private static HttpOperationException Status(HttpStatusCode code) =>
        new($"{(int)code}") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code), string.Empty) };

    private sealed class FailingListWatch(HttpStatusCode code) : IListWatch<CustomObject>
    {
        public string Resource => "things.example.com/v1";

        public Task<ListSnapshot<CustomObject>> ListAsync(int pageSize, CancellationToken cancellationToken) => throw Status(code);

        public IAsyncEnumerable<(k8s.WatchEventType Type, CustomObject Object)> WatchAsync(string? resourceVersion, int timeoutSeconds,
            Action<Exception> onError, CancellationToken cancellationToken) => throw Status(code);
    }

    /// <summary>404 on every request until <see cref="Install"/>; then lists the installed object and watches quietly.</summary>
    private sealed class InstallableListWatch : IListWatch<CustomObject>
    {
        private volatile CustomObject? installed;

        public string Resource => "ipaddresspools.metallb.io/v1beta1";

        public void Install(CustomObject value) => installed = value;

        public Task<ListSnapshot<CustomObject>> ListAsync(int pageSize, CancellationToken cancellationToken) =>
            installed is { } value
                ? Task.FromResult(new ListSnapshot<CustomObject>([value], "2"))
                : Task.FromException<ListSnapshot<CustomObject>>(Status(HttpStatusCode.NotFound));

        public async IAsyncEnumerable<(k8s.WatchEventType Type, CustomObject Object)> WatchAsync(string? resourceVersion, int timeoutSeconds,
            Action<Exception> onError, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (installed is null)
            {
                throw Status(HttpStatusCode.NotFound);
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }
}
