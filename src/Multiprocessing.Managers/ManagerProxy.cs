using System.Buffers;
using Multiprocessing.Managers.Client;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers;

/// <summary>
/// A handle on an object hosted by a <see cref="Manager"/>. A proxy is plain data — the manager's
/// endpoint, its key and the object's id — so it can be passed to tasks, put in
/// <see cref="PoolOptions.InitArgs"/> or sent through a shared queue, and it works the same in the process
/// that created it, in worker processes and on threads. It connects lazily, on its first call in a process;
/// an operation is one request and one reply, except on Linux for locks, reentrant locks, queues, events and plain values, which work on
/// shared memory the manager hands out on first use. Anyone holding a proxy holds the manager's key: hand
/// proxies only to code you would trust with the objects.
/// </summary>
public abstract class ManagerProxy
{
    private static readonly MessagePackPoolSerializer s_serializer = new();

    // The fast-path view of this object in this process (a SharedLock, a SharedRing), found on first use.
    [MessagePack.IgnoreMember]
    private object? _fast;

    [MessagePack.IgnoreMember]
    private int _fastProbed;

    private protected ManagerProxy(string endpoint, string authKey, int objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(authKey);
        Endpoint = endpoint;
        AuthKey = authKey;
        ObjectId = objectId;
    }

    /// <summary>The path of the manager's Unix domain socket.</summary>
    public string Endpoint { get; }

    /// <summary>The manager's secret key (hex). It authenticates the connection by challenge and response and is never sent.</summary>
    public string AuthKey { get; }

    /// <summary>The id of the shared object within its manager.</summary>
    public int ObjectId { get; }

    /// <summary>Names the object and its manager (never the key).</summary>
    /// <returns>A description for logs.</returns>
    public override string ToString() => $"{GetType().Name} #{ObjectId} at {Endpoint}";

    internal static long ToMilliseconds(TimeSpan timeout, string paramName = "timeout")
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        return (long)Math.Ceiling(timeout.TotalMilliseconds);
    }

    internal ManagerReply Call(ManagerOp op, CancellationToken cancellationToken = default, long timeoutMs = 0, long argument = 0, byte[]? data1 = null, byte[]? data2 = null, int thread = 0) =>
        ManagerClient.Call(this, Request(op, timeoutMs, argument, data1, data2, thread), cancellationToken);

    internal ValueTask<ManagerReply> CallAsync(ManagerOp op, CancellationToken cancellationToken = default, long timeoutMs = 0, long argument = 0, byte[]? data1 = null, byte[]? data2 = null) =>
        ManagerClient.CallAsync(this, Request(op, timeoutMs, argument, data1, data2, 0), cancellationToken);

    /// <summary>For tests and diagnostics: whether this proxy works on shared memory in this process (asks the manager once).</summary>
    [MessagePack.IgnoreMember]
    internal bool HasSharedMemory => SegmentCache.Get(this) is not null;

    /// <summary>This process's id: the owner recorded in shared lock words.</summary>
    private protected static int ProcessId { get; } = Environment.ProcessId;

    /// <summary>
    /// The object's shared-memory view (made by <paramref name="create"/> over its segment), or null when it
    /// has none and every call goes over the socket. The first call asks the manager (one round trip).
    /// </summary>
    private protected TView? Fast<TView>(Func<Segment, TView> create)
        where TView : class
    {
        if (Volatile.Read(ref _fastProbed) != 0)
        {
            return (TView?)_fast;
        }

        var segment = SegmentCache.Get(this);
        TView? view = segment is null ? null : create(segment);
        _fast = view;
        Volatile.Write(ref _fastProbed, 1);
        return view;
    }

    private protected static byte[] Serialize<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        s_serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private protected static T Deserialize<T>(byte[]? bytes) => s_serializer.Deserialize<T>(bytes ?? throw new InvalidOperationException("The manager sent no value."));

    /// <summary>True when acquired; false when timed out; throws when acquired from a holder that died.</summary>
    private protected static bool Acquired(ManagerReply reply) => reply.Status switch
    {
        ReplyStatus.Ok => true,
        ReplyStatus.Abandoned => throw new AbandonedLockException(
            $"Acquired, but the previous holder (process {reply.Value}) died without releasing it: the state it protects may be " +
            "half-updated. This caller now holds it: check or repair that state, then release it.",
            (int)reply.Value),
        _ => false,
    };

    private protected bool IsTrue(ManagerOp op) => Call(op).Status == ReplyStatus.Ok;

    private protected int CallForInt(ManagerOp op) => (int)Call(op).Value;

    private ManagerRequest Request(ManagerOp op, long timeoutMs, long argument, byte[]? data1, byte[]? data2, int thread) => new()
    {
        Op = op,
        ObjectId = ObjectId,
        Thread = thread,
        TimeoutMs = timeoutMs,
        Argument = argument,
        Data1 = data1,
        Data2 = data2,
    };
}
