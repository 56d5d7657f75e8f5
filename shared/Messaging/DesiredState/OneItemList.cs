using System.Collections;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// A read-only list of exactly one item: 24 bytes where a one-element array takes 32. Nearly every Service has one
/// address, and a replica holds one such list per Service.
/// </summary>
internal sealed class OneItemList<T>(T item) : IReadOnlyList<T>
{
    public int Count => 1;

    public T this[int index] => index == 0 ? item : throw new ArgumentOutOfRangeException(nameof(index), index, "The list holds one item.");

    public IEnumerator<T> GetEnumerator()
    {
        yield return item;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
