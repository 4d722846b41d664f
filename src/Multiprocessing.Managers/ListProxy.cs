using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A list shared between processes: Python's <c>manager.list()</c>. Items travel serialized with the
/// default serializer (MessagePack). Each member is one round trip and atomic on its own; enumerate a
/// snapshot from <see cref="ToList"/> (enumerating the proxy does the same). Items are compared
/// (<see cref="IndexOf"/>, <see cref="Contains"/>, <see cref="Remove"/>) in their serialized form.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ListProxy<T> : ManagerProxy, IList<T>
{
    internal ListProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>The number of items (a snapshot): Python's <c>len(l)</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int Count => CallForInt(ManagerOp.Count);

    /// <summary>Gets or sets the item at <paramref name="index"/>: Python's <c>l[i]</c> (no negative indexes).</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public T this[int index]
    {
        get => Deserialize<T>(Call(ManagerOp.ItemGet, argument: index).Payload);
        set => Call(ManagerOp.ItemSet, argument: index, data1: Serialize(value));
    }

    /// <summary>Appends an item, atomically: Python's <c>l.append(x)</c>.</summary>
    /// <param name="item">The item.</param>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Add(T item) => Call(ManagerOp.ListAdd, data1: Serialize(item));

    /// <summary>Inserts an item before <paramref name="index"/>: Python's <c>l.insert(i, x)</c>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/>.</param>
    /// <param name="item">The item.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Insert(int index, T item) => Call(ManagerOp.ListInsert, argument: index, data1: Serialize(item));

    /// <summary>Removes the item at <paramref name="index"/>: Python's <c>del l[i]</c>.</summary>
    /// <param name="index">From 0 to <see cref="Count"/> − 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void RemoveAt(int index) => Call(ManagerOp.ItemRemove, argument: index);

    /// <summary>Removes every item: Python's <c>l.clear()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Clear() => Call(ManagerOp.Clear);

    /// <summary>Copies the whole list in one round trip: Python's <c>l[:]</c>.</summary>
    /// <returns>A local copy.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public List<T> ToList() => Deserialize<List<T>>(Call(ManagerOp.Snapshot).Payload);

    /// <summary>Always false: the list can be changed.</summary>
    [IgnoreMember]
    public bool IsReadOnly => false;

    /// <summary>The index of the first item equal to <paramref name="item"/>, or −1, in one round trip: Python's <c>l.index(x)</c> (which raises instead).</summary>
    /// <param name="item">The item.</param>
    /// <returns>Its index, or −1.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public int IndexOf(T item) => (int)Call(ManagerOp.ListIndexOf, data1: Serialize(item)).Value;

    /// <summary>Whether an item equal to <paramref name="item"/> is in the list: Python's <c>x in l</c>.</summary>
    /// <param name="item">The item.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Contains(T item) => IndexOf(item) >= 0;

    /// <summary>Removes the first item equal to <paramref name="item"/>, atomically: Python's <c>l.remove(x)</c> (which raises when there is none).</summary>
    /// <param name="item">The item.</param>
    /// <returns>True if one was removed.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Remove(T item) => Call(ManagerOp.ListRemoveValue, data1: Serialize(item)).Status == ReplyStatus.Ok;

    /// <summary>Copies a snapshot of the list into <paramref name="array"/>.</summary>
    /// <param name="array">The destination.</param>
    /// <param name="arrayIndex">Where in it to start.</param>
    /// <exception cref="ArgumentException">The snapshot does not fit.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void CopyTo(T[] array, int arrayIndex) => ToList().CopyTo(array, arrayIndex);

    /// <summary>Enumerates a snapshot taken in one round trip.</summary>
    /// <returns>The snapshot's enumerator.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public IEnumerator<T> GetEnumerator() => ToList().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
