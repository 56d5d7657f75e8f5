using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Nats;

/// <summary>
/// Real nats-servers clustered with JetStream, each in its own network namespace on a LAN bridge the test creates
/// (198.18.250.0/24, never outside the test's namespaces). The test process reaches them through loopback forwarders.
/// Servers can be killed and restarted (same store, same address); the cluster reports its meta and stream leaders.
/// </summary>
/// <example>
/// await using var cluster = await NatsCluster.StartAsync();
/// var opts = new NatsOpts { Url = cluster.ClientUrls };              // every server, comma-separated
/// var leader = await cluster.WaitForStreamLeaderAsync("BEACON_ALLOCATIONS");
/// await cluster.Member(leader).KillAsync();
/// </example>
public sealed class NatsCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly NetLab _lab;
    private readonly bool _ownsLab;
    private readonly string _directory;
    private readonly List<NatsClusterMember> _members = [];
    private LanSegment? _lan;

    private NatsCluster(NetLab lab, bool ownsLab, string directory)
    {
        _lab = lab;
        _ownsLab = ownsLab;
        _directory = directory;
    }

    public IReadOnlyList<NatsClusterMember> Members => _members;

    /// <summary>Every member's client URL, comma-separated, as NATS clients take a server list.</summary>
    public string ClientUrls => string.Join(",", _members.Select(m => m.Url));

    /// <summary>The servers' URLs on the cluster LAN, for programs in namespaces attached to <see cref="Lan"/>.</summary>
    public string NamespaceClientUrls =>
        string.Join(",", _members.Select(m => string.Create(CultureInfo.InvariantCulture, $"nats://{m.Address}:{NatsClusterMember.ClientPort}")));

    /// <summary>The bridge the servers are on (198.18.250.0/24; .11 upwards are taken): attach lab hosts here to reach them.</summary>
    public LanSegment Lan => _lan ?? throw new InvalidOperationException("cluster not started");

    /// <summary>
    /// Starts the servers in namespaces of <paramref name="lab"/> when given (the caller disposes it), else of a lab
    /// of its own.
    /// </summary>
    public static async Task<NatsCluster> StartAsync(int servers = 3, NatsClusterConfig? config = null, NetLab? lab = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(servers, 1);
        config ??= new NatsClusterConfig();
        var ownsLab = lab is null;
        lab ??= await NetLab.CreateAsync();
        var cluster = new NatsCluster(lab, ownsLab, Directory.CreateTempSubdirectory("beacon-nats-cluster-").FullName);
        try
        {
            var lan = await lab.AddSegmentAsync("natscluster");
            cluster._lan = lan;
            var addresses = Enumerable.Range(1, servers)
                .Select(i => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"198.18.250.{10 + i}")))
                .ToList();
            for (var i = 0; i < servers; i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"nats-{i + 1}");
                var host = await lab.AddHostAsync(name);
                await lan.AttachAsync(host, "eth0", addresses[i] + "/24");
                var directory = Path.Combine(cluster._directory, name);
                Directory.CreateDirectory(directory);
                var configText = config.Render(name, addresses[i], Path.Combine(directory, "jetstream"), addresses);
                cluster._members.Add(new NatsClusterMember(name, host, addresses[i], directory, configText));
            }

            await Task.WhenAll(cluster._members.Select(m => m.StartAsync()));
            await cluster.WaitForMetaLeaderAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public NatsClusterMember Member(string name) =>
        _members.SingleOrDefault(m => m.Name == name) ?? throw new ArgumentException($"no cluster member named '{name}'", nameof(name));

    /// <summary>What each running server's monitoring endpoint says now (servers that do not answer are left out).</summary>
    public async Task<IReadOnlyList<NatsClusterJetStreamView>> ViewsAsync()
    {
        var views = new List<NatsClusterJetStreamView>();
        foreach (var member in _members.Where(m => m.IsRunning))
        {
            try
            {
                var json = await Http.GetStringAsync(new Uri(member.MonitorUrl, "jsz?streams=true"));
                views.Add(NatsClusterJetStreamView.Parse(json) with { Server = member.Name });
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
            {
                // Starting up or just killed: the others answer for the cluster.
            }
        }

        return views;
    }

    /// <summary>The JetStream meta leader that every running server agrees on, or null while there is none.</summary>
    public async Task<string?> MetaLeaderAsync() => Agreed((await ViewsAsync()).Select(v => v.MetaLeader));

    /// <summary>The leader of <paramref name="stream"/> that every running replica agrees on, or null while there is none.</summary>
    public async Task<string?> StreamLeaderAsync(string stream) =>
        Agreed((await ViewsAsync()).Select(v => v.Streams.GetValueOrDefault(stream)).Where(s => s is not null).Select(s => s!.Leader));

    public Task<string> WaitForMetaLeaderAsync(TimeSpan? timeout = null) =>
        WaitForAsync(MetaLeaderAsync, _ => true, timeout, "a JetStream meta leader");

    /// <summary>Waits until the stream has a leader, optionally one other than <paramref name="not"/> (after a kill).</summary>
    public Task<string> WaitForStreamLeaderAsync(string stream, string? not = null, TimeSpan? timeout = null) =>
        WaitForAsync(() => StreamLeaderAsync(stream), leader => leader != not, timeout, $"a leader of stream {stream}" + (not is null ? "" : $" other than {not}"));

    /// <summary>The stream as its leader reports it (followers and whether they are current), or null without a leader.</summary>
    public async Task<NatsClusterStreamView?> StreamAtLeaderAsync(string stream) =>
        (await ViewsAsync())
            .Select(v => v.Streams.GetValueOrDefault(stream) is { } s && s.Leader == v.Server ? s : null)
            .FirstOrDefault(s => s is not null);

    /// <summary>Waits until the stream's leader sees every other replica as current (caught up), e.g. after a restart.</summary>
    public Task<NatsClusterStreamView?> WaitForStreamCurrentAsync(string stream, TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(
            () => StreamAtLeaderAsync(stream),
            s => s is not null && s.Followers.Count == _members.Count - 1 && s.Followers.Values.All(current => current),
            timeout ?? TimeSpan.FromSeconds(30),
            $"every replica of stream {stream} current",
            TimeSpan.FromMilliseconds(100));

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }

        if (_ownsLab)
        {
            await _lab.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }

    private static string? Agreed(IEnumerable<string?> leaders)
    {
        var distinct = leaders.Distinct().ToList();
        return distinct is [{ } leader] ? leader : null;
    }

    private async Task<string> WaitForAsync(Func<Task<string?>> probe, Func<string, bool> accept, TimeSpan? timeout, string what)
    {
        try
        {
            return (await Eventually.MatchesAsync(probe, l => l is not null && accept(l), timeout ?? TimeSpan.FromSeconds(30), what, TimeSpan.FromMilliseconds(100)))!;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + string.Join("\n", _members.Select(m => $"--- {m.Name} ---\n{m.Log}")), e);
        }
    }
}
