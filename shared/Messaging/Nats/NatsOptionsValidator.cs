using Microsoft.Extensions.Options;

namespace Beacon.Messaging.Nats;

/// <summary>Fails startup with every problem in the "Nats" section at once.</summary>
internal sealed class NatsOptionsValidator : IValidateOptions<NatsOptions>
{
    public ValidateOptionsResult Validate(string? name, NatsOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
