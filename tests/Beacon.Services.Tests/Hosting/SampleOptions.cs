using System.ComponentModel;
using Beacon.Hosting.Options;

namespace Beacon.Services.Tests.Hosting;

public enum SampleMode
{
    Fast,
    Careful,
}

/// <summary>Options shaped like a service's: scalars, a duration, an enum, a list and a nested validated section.</summary>
public sealed class SampleOptions : IValidatableOptions
{
    [Description("How often to tick.")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    [Description("How many retries.")]
    public int Retries { get; set; } = 3;

    public bool DryRun { get; set; }

    public SampleMode? Mode { get; set; }

    public string Name { get; set; } = "sample";

    public List<string> Interfaces { get; set; } = [];

    public double Ratio { get; set; } = 0.5;

    public SampleServer Server { get; set; } = new();

    /// <summary>Computed, not settable: never an option.</summary>
    public string Display => $"{Name}/{Retries}";

    public void Validate(OptionProblems problems)
    {
        problems.RequirePositive(nameof(TickInterval), TickInterval, "250ms");
        problems.RequireRange(nameof(Retries), Retries, 0, 10);
    }
}

public sealed class SampleServer : IValidatableOptions
{
    [Description("Server URLs.")]
    public string[] Urls { get; set; } = ["nats://127.0.0.1:4222"];

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public string Password { get; set; } = string.Empty;

    public void Validate(OptionProblems problems)
    {
        if (Urls.Length == 0)
            problems.Add(nameof(Urls), "is empty", "give at least one URL");
        problems.RequirePositive(nameof(ConnectTimeout), ConnectTimeout, "2s");
        if (Password.Length is > 0 and < 8)
            problems.Add(nameof(Password), "is shorter than 8 characters", "use the password configured on the server");
    }
}
