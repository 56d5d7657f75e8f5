namespace Beacon.Lab.Tests.Cluster;

/// <summary>One <see cref="ClusterLab"/> for the tests that share it (starting it takes most of a test's time).</summary>
[CollectionDefinition(nameof(ClusterLabCollection))]
public sealed class ClusterLabCollection : ICollectionFixture<ClusterLab>;
