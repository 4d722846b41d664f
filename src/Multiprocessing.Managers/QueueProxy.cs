using System.Diagnostics.CodeAnalysis;
using MessagePack;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// A FIFO queue shared between processes: Python's <c>manager.Queue(maxsize)</c>. Bounded when created
/// with a maximum size (a put into a full queue waits), unbounded otherwise. Items travel serialized with
/// the default serializer (MessagePack), so they must be types it can handle.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public class QueueProxy<T> : ManagerProxy
{
    [IgnoreMember]
    private ManagerSpill? _spill;

    internal QueueProxy(string endpoint, string authKey, int objectId)
        : base(endpoint, authKey, objectId)
    {
    }

    /// <summary>How many items are queued (a snapshot): Python's <c>qsize()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public int Count => Ring is { } ring ? ring.Count : CallForInt(ManagerOp.Count);

    /// <summary>Whether the queue is empty (a snapshot): Python's <c>empty()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsEmpty => Count == 0;

    /// <summary>Whether a bounded queue is full (a snapshot): Python's <c>full()</c>.</summary>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    [IgnoreMember]
    public bool IsFull => Ring is { } ring ? ring.IsFull : IsTrue(ManagerOp.QueueIsFull);

    /// <summary>Adds an item, waiting for room in a bounded queue: Python's <c>put()</c>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public void Put(T item, CancellationToken cancellationToken = default) => PutCore(Serialize(item), -1, cancellationToken);

    /// <summary>Adds an item, waiting at most <paramref name="timeout"/> for room: Python's <c>put(timeout=…)</c>; <see cref="TimeSpan.Zero"/> is <c>put_nowait()</c>.</summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <returns>True when added; false when the queue stayed full (Python's <c>Full</c>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryPut(T item, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long timeoutMs = ToMilliseconds(timeout);
        return PutCore(Serialize(item), timeoutMs, cancellationToken);
    }

    /// <summary>Adds an item, waiting for room without blocking a thread.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting; the item is then not added.</param>
    /// <returns>Completes when the item is added.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask PutAsync(T item, CancellationToken cancellationToken = default)
    {
        byte[] bytes = Serialize(item);
        if (Ring is not { } ring)
        {
            await CallAsync(ManagerOp.QueuePut, cancellationToken, -1, data1: bytes).ConfigureAwait(false);
        }
        else if (!ring.TryPut(ProcessId, bytes, 0, Spill, cancellationToken))
        {
            await FastWait.OnOwnThread(() => ring.TryPut(ProcessId, bytes, -1, Spill, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Removes and returns the oldest item, waiting for one: Python's <c>get()</c>.</summary>
    /// <param name="cancellationToken">Stops waiting; nothing is then removed.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public T Get(CancellationToken cancellationToken = default) => Deserialize<T>(GetCore(-1, cancellationToken));

    /// <summary>Removes the oldest item, waiting at most <paramref name="timeout"/>: Python's <c>get(timeout=…)</c>; <see cref="TimeSpan.Zero"/> is <c>get_nowait()</c>.</summary>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="item">The item, when one was taken.</param>
    /// <returns>True when an item was taken; false when the queue stayed empty (Python's <c>Empty</c>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public bool TryGet(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        byte[]? bytes = GetCore(ToMilliseconds(timeout), default);
        item = bytes is null ? default : Deserialize<T>(bytes);
        return bytes is not null;
    }

    /// <summary>Removes and returns the oldest item, waiting for one without blocking a thread.</summary>
    /// <param name="cancellationToken">Stops waiting; nothing is then removed.</param>
    /// <returns>The item.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ManagerConnectionException">The manager cannot be reached.</exception>
    public async ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Ring is not { } ring)
        {
            return Deserialize<T>((await CallAsync(ManagerOp.QueueGet, cancellationToken, -1).ConfigureAwait(false)).Payload);
        }

        byte[]? bytes = ring.TryGet(ProcessId, 0, Spill, cancellationToken)
            ?? await FastWait.OnOwnThread(() => ring.TryGet(ProcessId, -1, Spill, cancellationToken)).ConfigureAwait(false);
        return Deserialize<T>(bytes);
    }

    /// <summary>The shared-memory ring, when the manager gave this queue one; null: every call is a round trip.</summary>
    [IgnoreMember]
    private protected SharedRing? Ring => Fast(static segment => new SharedRing(segment));

    /// <summary>Where ring items that do not fit go: the manager.</summary>
    [IgnoreMember]
    private ManagerSpill Spill => _spill ??= new ManagerSpill(this);

    private bool PutCore(byte[] bytes, long timeoutMs, CancellationToken cancellationToken) => Ring is { } ring
        ? ring.TryPut(ProcessId, bytes, timeoutMs, Spill, cancellationToken)
        : Call(ManagerOp.QueuePut, cancellationToken, timeoutMs, data1: bytes).Status == ReplyStatus.Ok;

    /// <summary>The item's bytes, or null when the timeout passed.</summary>
    private byte[]? GetCore(long timeoutMs, CancellationToken cancellationToken)
    {
        if (Ring is { } ring)
        {
            return ring.TryGet(ProcessId, timeoutMs, Spill, cancellationToken);
        }

        var reply = Call(ManagerOp.QueueGet, cancellationToken, timeoutMs);
        return reply.Status == ReplyStatus.Ok ? reply.Payload ?? [] : null;
    }
}
