using System.Diagnostics.CodeAnalysis;
using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A dictionary shared between processes: Python's <c>manager.dict()</c>. Keys and values travel serialized
/// with the default serializer (MessagePack) and keys are compared by their serialized form, so use keys
/// whose equal values serialize alike (numbers, strings, records of them). Each member is one round trip
/// and atomic on its own; enumerate a snapshot from <see cref="ToDictionary"/>.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class DictionaryProxy<TKey, TValue> : ManagerProxy, IDictionary<TKey, TValue>
    where TKey : notnull
{
    internal DictionaryProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>The number of entries (a snapshot): Python's <c>len(d)</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int Count => CallForInt(ManagerOp.Count);

    /// <summary>Gets or sets the value for <paramref name="key"/>: Python's <c>d[key]</c>.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="KeyNotFoundException">Getting a key that is not present.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in the shared dictionary.");
        set => Call(ManagerOp.ItemSet, data1: Serialize(key), data2: Serialize(value));
    }

    /// <summary>Gets the value for <paramref name="key"/> if present: Python's <c>d.get(key)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>True when the key is present.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var reply = Call(ManagerOp.ItemGet, data1: Serialize(key));
        value = reply.Status == ReplyStatus.Ok ? Deserialize<TValue>(reply.Payload) : default;
        return reply.Status == ReplyStatus.Ok;
    }

    /// <summary>Adds an entry unless the key is present, atomically: Python's <c>d.setdefault</c> without the read.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>True when added; false when the key was already present.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryAdd(TKey key, TValue value) =>
        Call(ManagerOp.ItemTryAdd, data1: Serialize(key), data2: Serialize(value)).Status == ReplyStatus.Ok;

    /// <summary>Whether <paramref name="key"/> is present: Python's <c>key in d</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when present.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool ContainsKey(TKey key) => Call(ManagerOp.ItemContains, data1: Serialize(key)).Status == ReplyStatus.Ok;

    /// <summary>Removes <paramref name="key"/>: Python's <c>d.pop(key, None)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when it was present.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Remove(TKey key) => Call(ManagerOp.ItemRemove, data1: Serialize(key)).Status == ReplyStatus.Ok;

    /// <summary>Removes every entry: Python's <c>d.clear()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Clear() => Call(ManagerOp.Clear);

    /// <summary>Copies the whole dictionary in one round trip, in insertion order: Python's <c>d.copy()</c>.</summary>
    /// <returns>A local copy.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public Dictionary<TKey, TValue> ToDictionary() => Deserialize<Dictionary<TKey, TValue>>(Call(ManagerOp.Snapshot).Payload);

    /// <summary>The keys of a snapshot taken in one round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public ICollection<TKey> Keys => ToDictionary().Keys;

    /// <summary>The values of a snapshot taken in one round trip.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public ICollection<TValue> Values => ToDictionary().Values;

    /// <summary>Always false: the dictionary can be changed.</summary>
    [IgnoreMember]
    public bool IsReadOnly => false;

    /// <summary>Adds a key that is not there yet, atomically.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException">The key is already there.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Add(TKey key, TValue value)
    {
        if (!TryAdd(key, value))
        {
            throw new ArgumentException($"The key '{key}' is already in the shared dictionary.", nameof(key));
        }
    }

    /// <inheritdoc cref="Add(TKey, TValue)"/>
    public void Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    /// <summary>Whether the key is there with this value (values compared in their serialized form), in one round trip.</summary>
    /// <param name="item">The key and value.</param>
    /// <returns>True if it is.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Contains(KeyValuePair<TKey, TValue> item)
    {
        var reply = Call(ManagerOp.ItemGet, data1: Serialize(item.Key));
        return reply.Status == ReplyStatus.Ok && reply.Payload.AsSpan().SequenceEqual(Serialize(item.Value));
    }

    /// <summary>Removes the key only if it has this value, atomically.</summary>
    /// <param name="item">The key and value.</param>
    /// <returns>True if it was removed.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool Remove(KeyValuePair<TKey, TValue> item) =>
        Call(ManagerOp.ItemRemoveIfValue, data1: Serialize(item.Key), data2: Serialize(item.Value)).Status == ReplyStatus.Ok;

    /// <summary>Copies a snapshot into <paramref name="array"/>.</summary>
    /// <param name="array">The destination.</param>
    /// <param name="arrayIndex">Where in it to start.</param>
    /// <exception cref="ArgumentException">The snapshot does not fit.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => ((ICollection<KeyValuePair<TKey, TValue>>)ToDictionary()).CopyTo(array, arrayIndex);

    /// <summary>Enumerates a snapshot taken in one round trip.</summary>
    /// <returns>The snapshot's enumerator.</returns>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => ToDictionary().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
