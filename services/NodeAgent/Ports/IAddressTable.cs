using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Ports;

/// <summary>
/// The kernel's address table as the agent may touch it: only addresses it marked as its own. Changes come in
/// batches (one pass of the agent), because 1,000 Services arriving at once must not cost 1,000 round trips, nor
/// 1,000 dumps of the table to remove them.
/// </summary>
public interface IAddressTable
{
    /// <summary>Our addresses on the given interfaces (missing interfaces have none).</summary>
    IReadOnlyList<PlumbedAddress> ListOurs(IReadOnlyCollection<string> interfaces);

    /// <summary>
    /// Adds the addresses, or refreshes those present, with the given lifetimes (IPv6 without DAD). Returns those the
    /// kernel refused; throws <see cref="PlumbingFailedException"/> when it could not be asked at all.
    /// </summary>
    IReadOnlyList<PlumbingFailure> Plumb(IReadOnlyList<PlumbedAddress> addresses, AddressLifetimes lifetimes);

    /// <summary>
    /// Removes those of the addresses that are ours (absent ones are no failure). Returns those the kernel refused;
    /// throws <see cref="PlumbingFailedException"/> when it could not be asked at all.
    /// </summary>
    IReadOnlyList<PlumbingFailure> Unplumb(IReadOnlyList<PlumbedAddress> addresses);
}
