namespace Beacon.Announcer.Modes.Bird;

/// <summary>BIRD's control channel, reduced to what the bird mode needs.</summary>
public interface IBirdControl
{
    /// <summary>Whether BIRD answers at all (connects and greets); false when it is down.</summary>
    Task<bool> IsUpAsync(CancellationToken cancellationToken);

    /// <summary>Runs one command (e.g. <c>configure</c>) and returns BIRD's reply; throws <see cref="IOException"/> when BIRD is unreachable.</summary>
    Task<BirdReply> SendAsync(string command, CancellationToken cancellationToken);
}
