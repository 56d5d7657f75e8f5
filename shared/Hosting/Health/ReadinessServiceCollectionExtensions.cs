using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Hosting.Health;

/// <summary>Registration of readiness checks for /readyz.</summary>
public static class ReadinessServiceCollectionExtensions
{
    public static IServiceCollection AddReadinessCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services)
        where T : class, IReadinessCheck
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<T>();
        return services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<T>());
    }

    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, IReadinessCheck check)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(check);
        return services.AddSingleton(check);
    }
}
