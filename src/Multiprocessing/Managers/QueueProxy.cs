using System.Diagnostics.CodeAnalysis;
using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// A FIFO queue shared between processes: Python's <c>manager.Queue(maxsize)</c>. Bounded when created
/// with a maximum size (a put into a full queue waits), unbounded otherwise. Items travel serialized with
/// the default serializer (MessagePack), so they must be types it can handle.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class QueueProxy<T> : ManagerProxy
{
    internal QueueProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>How many items are queued (a snapshot): Python's <c>qsize()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int Count => CallForInt(ManagerOp.Count);

    /// <summary>Whether the queue is empty (a snapshot): Python's <c>empty()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsEmpty => Count == 0;

    /// <summary>Whether a bounded queue is full (a snapshot): Python's <c>full()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsFull => IsTrue(ManagerOp.QueueIsFull);

    /// <summary>Adds an item, waiting for room in a bounded queue: Python's <c>put()</c>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Put(T item, CancellationToken cancellationToken = default) =>
        Call(ManagerOp.QueuePut, cancellationToken, -1, data1: Serialize(item));

    /// <summary>Adds an item, waiting at most <paramref name="timeout"/> for room: Python's <c>put(timeout=…)</c>; <see cref="TimeSpan.Zero"/> is <c>put_nowait()</c>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <returns>True when added; false when the queue stayed full (Python's <c>Full</c>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryPut(T item, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Call(ManagerOp.QueuePut, cancellationToken, ToMilliseconds(timeout), data1: Serialize(item)).Status == ReplyStatus.Ok;

    /// <summary>Adds an item, waiting for room without blocking a thread.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <returns>Completes when the item is added.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask PutAsync(T item, CancellationToken cancellationToken = default) =>
        await CallAsync(ManagerOp.QueuePut, cancellationToken, -1, data1: Serialize(item)).ConfigureAwait(false);

    /// <summary>Removes and returns the oldest item, waiting for one: Python's <c>get()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting; nothing is then removed.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public T Get(CancellationToken cancellationToken = default) =>
        Deserialize<T>(Call(ManagerOp.QueueGet, cancellationToken, -1).Payload);

    /// <summary>Removes the oldest item, waiting at most <paramref name="timeout"/>: Python's <c>get(timeout=…)</c>; <see cref="TimeSpan.Zero"/> is <c>get_nowait()</c>.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="item">The item, when one was taken.</param>
    /// <returns>True when an item was taken; false when the queue stayed empty (Python's <c>Empty</c>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryGet(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        var reply = Call(ManagerOp.QueueGet, default, ToMilliseconds(timeout));
        item = reply.Status == ReplyStatus.Ok ? Deserialize<T>(reply.Payload) : default;
        return reply.Status == ReplyStatus.Ok;
    }

    /// <summary>Removes and returns the oldest item, waiting for one without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting; nothing is then removed.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default) =>
        Deserialize<T>((await CallAsync(ManagerOp.QueueGet, cancellationToken, -1).ConfigureAwait(false)).Payload);
}
