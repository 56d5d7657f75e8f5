namespace Beacon.TestSupport.Daemons;

/// <summary>Polls a condition until it holds or a deadline passes: routing state converges, it is not an event.</summary>
public static class Eventually
{
    /// <summary>
    /// Re-evaluates <paramref name="probe"/> every <paramref name="interval"/> (default 50 ms) until it returns a value
    /// accepted by <paramref name="accept"/>; throws with the last value seen when <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(accept);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (accept(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = value is not string && value is IEnumerable<string> items ? "[" + string.Join(", ", items) + "]" : value?.ToString();
                throw new TimeoutException($"{what} did not happen within {timeout}; last seen:\n{seen}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
