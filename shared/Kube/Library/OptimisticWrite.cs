namespace Beacon.Kube.Library;

/// <summary>
/// A read-modify-write with optimistic concurrency: the write carries the resourceVersion it was based on; a 409
/// means someone wrote in between, so re-read, re-apply and try again.
/// </summary>
public static class OptimisticWrite
{
    /// <param name="first">A current copy (e.g. from an informer): one request when it is up to date.</param>
    /// <param name="reread">Reads the object fresh after a conflict.</param>
    /// <param name="mutate">Applies the change to a copy; false when the copy needs no write.</param>
    /// <param name="write">Writes the copy and returns what the server stored.</param>
    public static async Task<T> RunAsync<T>(T first, Func<CancellationToken, Task<T>> reread, Func<T, bool> mutate,
        Func<T, CancellationToken, Task<T>> write, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reread);
        ArgumentNullException.ThrowIfNull(mutate);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var current = first;
        for (var attempt = 1; ; attempt++)
        {
            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return await write(current, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ApiStatus.IsConflict(e) && attempt < maxAttempts)
            {
                current = await reread(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
