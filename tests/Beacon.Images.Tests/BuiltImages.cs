using Beacon.TestSupport.Netns;

namespace Beacon.Images.Tests;

/// <summary>
/// Runs images/build-images.sh (what <c>./build.sh --target=Images</c> runs) once for the test run, so the images
/// verified are the ones the current sources produce. Base layers come from its cache, so a rebuild takes about a minute.
/// </summary>
public sealed class BuiltImages : IAsyncLifetime
{
    public string BuildOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var result = await HostCommand.RunAsync("bash", [Path.Combine(ImageCatalog.RepositoryRoot, "images", "build-images.sh")],
            TimeSpan.FromMinutes(20));
        BuildOutput = result.StandardOutput + result.StandardError;
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"images/build-images.sh failed ({result.ExitCode}):\n{BuildOutput}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class BuiltImagesCollection : ICollectionFixture<BuiltImages>
{
    public const string Name = "built images";
}
