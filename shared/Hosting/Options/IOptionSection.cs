using System.Diagnostics.CodeAnalysis;

namespace Beacon.Hosting.Options;

/// <summary>
/// A class of options (a service's root options or a nested section such as "Http"). The option catalog reads
/// its public properties by reflection; the annotation makes the trimmer keep them (and the parameterless
/// constructor) on every implementing class, so NativeAOT builds bind exactly what the JIT builds bind.
/// </summary>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
#pragma warning disable CA1040 // A marker by design: the annotation is its whole purpose.
public interface IOptionSection;
#pragma warning restore CA1040
