namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// The status objects of one moment that live on their own (not in another object's status): one ServiceL2Status or
/// ServiceBGPStatus per Service and announcing node, and the configuration state. A writer makes the API show exactly
/// these, creating, updating and deleting only what differs from what it last wrote.
/// </summary>
/// <param name="NewTerm">First of a leadership term: what the API holds may have changed under another leader.</param>
internal sealed record StatusObjects(IReadOnlyList<ServiceAnnouncementStatus> Announcements, ConfigurationState Configuration, bool NewTerm);
