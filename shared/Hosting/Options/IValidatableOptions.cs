namespace Beacon.Hosting.Options;

/// <summary>
/// An options object that checks its own values at start. Nested option objects may implement it too;
/// the host calls each with problems scoped to the object's section, so names stay relative.
/// </summary>
public interface IValidatableOptions : IOptionSection
{
    /// <summary>Add one problem per invalid value; add nothing when everything is fine.</summary>
    void Validate(OptionProblems problems);
}
