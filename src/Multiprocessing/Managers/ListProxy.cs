using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A list shared between processes: Python's <c>manager.list()</c>. Items travel serialized with the
/// default serializer (MessagePack). Each member is one round trip and atomic on its own; enumerate a
/// snapshot from <see cref="ToList"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class ListProxy<T> : ManagerProxy
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
}
