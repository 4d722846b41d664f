using System.Runtime.CompilerServices;
using Multiprocessing.Managers.FastPath;
using Multiprocessing.Managers.Server;

namespace Multiprocessing.Managers;

/// <summary>
/// Hosts objects shared between processes — locks, semaphores, events, conditions, barriers, queues,
/// values, dictionaries, lists — and hands out proxies to them: Python's <c>multiprocessing.Manager()</c>.
/// The server runs inside this process, on a Unix domain socket in a private (0700) directory; clients
/// prove they hold the manager's random key by HMAC challenge and response (the key itself never crosses
/// the socket). Proxies are plain data: pass them to <see cref="Pool"/> or <see cref="ThreadedPool"/> tasks
/// or in <see cref="PoolOptions.InitArgs"/>. Objects live as long as the manager. When a process dies
/// holding a lock or semaphore, it is released and the next acquirer gets <see cref="AbandonedLockException"/>.
/// </summary>
/// <example>
/// <code>
/// using var manager = new Manager();
/// var counter = manager.Value(0);
/// var sharedLock = manager.Lock();
/// using var pool = new Pool(4);
/// pool.Map(static ((ValueProxy&lt;int&gt; C, LockProxy L) s) =&gt; { using (s.L.Acquire()) { s.C.Value += 1; } return 0; },
///          Enumerable.Repeat((counter, sharedLock), 100));
/// </code>
/// </example>
public sealed class Manager : IDisposable, IAsyncDisposable
{
    private readonly ManagerServer _server;

    /// <summary>Starts a manager with a fresh key, listening in a fresh private directory.</summary>
    /// <exception cref="InvalidOperationException">The socket or its directory could not be created (the message names the temp directory and TMPDIR).</exception>
    public Manager() => _server = new ManagerServer();

    /// <summary>For tests: a manager with the shared-memory fast path on, off, or on the server's side only.</summary>
    internal Manager(ManagerFastPath fastPath) => _server = new ManagerServer(fastPath);

    /// <summary>The path of the manager's Unix domain socket.</summary>
    public string Endpoint => _server.Endpoint;

    /// <summary>Creates a shared lock: Python's <c>Lock()</c>.</summary>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public LockProxy Lock()
    {
        SharedObject shared = _server.TryCreateSegment(SharedLock.SegmentSize) is { } segment
            ? new FastLockObject(segment)
            : new SemaphoreObject(1, 1, isLock: true);
        return new(Endpoint, _server.AuthKey, _server.Register(shared));
    }

    /// <summary>Creates a shared reentrant lock, owned by the acquiring thread: Python's <c>RLock()</c>.</summary>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public RLockProxy RLock()
    {
        SharedObject shared = _server.TryCreateSegment(SharedRLock.SegmentSize) is { } segment
            ? new FastRLockObject(segment)
            : new RLockObject();
        return new(Endpoint, _server.AuthKey, _server.Register(shared));
    }

    /// <summary>Creates a shared semaphore: Python's <c>Semaphore(value)</c>.</summary>
    /// <param name="initialCount">The units available at first, 0 or more.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public SemaphoreProxy Semaphore(int initialCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        return new(Endpoint, _server.AuthKey, _server.Register(new SemaphoreObject(initialCount, null, isLock: false)));
    }

    /// <summary>Creates a shared semaphore that refuses to be released past its initial count: Python's <c>BoundedSemaphore(value)</c>.</summary>
    /// <param name="initialCount">The units available at first and the most there may be, 1 or more.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public SemaphoreProxy BoundedSemaphore(int initialCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCount, 1);
        return new(Endpoint, _server.AuthKey, _server.Register(new SemaphoreObject(initialCount, initialCount, isLock: false)));
    }

    /// <summary>Creates a shared event, initially clear: Python's <c>Event()</c>.</summary>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public EventProxy Event()
    {
        SharedObject shared = _server.TryCreateSegment(SharedEvent.SegmentSize) is { } segment
            ? new FastEventObject(segment)
            : new EventObject();
        return new(Endpoint, _server.AuthKey, _server.Register(shared));
    }

    /// <summary>Creates a shared condition variable over its own reentrant lock: Python's <c>Condition()</c>.</summary>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public ConditionProxy Condition() => new(Endpoint, _server.AuthKey, _server.Register(new ConditionObject()));

    /// <summary>
    /// Creates a shared condition variable over an existing lock of this manager: Python's <c>Condition(lock)</c>.
    /// Acquiring or releasing the condition acquires or releases <paramref name="sharedLock"/>; a wait releases
    /// it and takes it back for the waiting process. The lock is a plain one, so <c>Wait</c> and <c>Notify</c>
    /// can only check that someone holds it.
    /// </summary>
    /// <param name="sharedLock">A lock made by this manager's <see cref="Lock"/>.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sharedLock"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="sharedLock"/> belongs to another manager.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public ConditionProxy Condition(LockProxy sharedLock)
    {
        ArgumentNullException.ThrowIfNull(sharedLock);
        var lockObject = sharedLock.Endpoint == Endpoint ? _server.Find(sharedLock.ObjectId) : null;
        if (lockObject is not IPlainLock)
        {
            throw new ArgumentException("The lock belongs to another manager: a condition must use a lock of the manager that creates it.", nameof(sharedLock));
        }

        return new(Endpoint, _server.AuthKey, _server.Register(new LockConditionObject(lockObject)));
    }

    /// <summary>Creates a shared barrier for <paramref name="parties"/> parties: Python's <c>Barrier(parties)</c>.</summary>
    /// <param name="parties">How many parties must arrive, at least 1.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parties"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public BarrierProxy Barrier(int parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 1);
        return new(Endpoint, _server.AuthKey, _server.Register(new BarrierObject(parties)));
    }

    /// <summary>Creates a shared FIFO queue: Python's <c>Queue(maxsize)</c>.</summary>
    /// <typeparam name="T">The item type; the default serializer (MessagePack) must handle it.</typeparam>
    /// <param name="maxSize">The most items it holds (a put waits when full); 0 means unbounded.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be serialized.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public QueueProxy<T> Queue<T>(int maxSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        EnsureSupported<T>();
        return new(Endpoint, _server.AuthKey, RegisterQueue(maxSize));
    }

    /// <summary>
    /// Creates a shared FIFO queue that also counts unfinished items: Python's <c>JoinableQueue(maxsize)</c>.
    /// Each put adds one; a consumer calls <see cref="JoinableQueueProxy{T}.TaskDone"/> when it has
    /// processed an item it got, and <see cref="JoinableQueueProxy{T}.Join(CancellationToken)"/> waits until
    /// the count is back to zero.
    /// </summary>
    /// <typeparam name="T">The item type; the default serializer (MessagePack) must handle it.</typeparam>
    /// <param name="maxSize">The most items it holds (a put waits when full); 0 means unbounded.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be serialized.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public JoinableQueueProxy<T> JoinableQueue<T>(int maxSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        EnsureSupported<T>();
        return new(Endpoint, _server.AuthKey, RegisterQueue(maxSize));
    }

    /// <summary>Creates a shared value: Python's <c>Value(typecode, value)</c>.</summary>
    /// <typeparam name="T">The value type; the default serializer (MessagePack) must handle it.</typeparam>
    /// <param name="initialValue">The value at first.</param>
    /// <returns>Its proxy.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be serialized.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public ValueProxy<T> Value<T>(T initialValue)
    {
        EnsureSupported<T>();
        SharedObject shared = new ValueObject(SerializeInitial(initialValue));
        if (SharedValue.Fits<T>() && _server.TryCreateSegment(SharedValue.SegmentSize) is { } segment)
        {
            SharedValue.Initialize(segment, Raw(initialValue));
            shared = new FastValueObject(segment, static bytes => Raw(Deserialize<T>(bytes)), static raw => SerializeInitial(Unsafe.ReadUnaligned<T>(ref raw[0])));
        }

        return new(Endpoint, _server.AuthKey, _server.Register(shared));
    }

    /// <summary>Creates a shared, empty dictionary: Python's <c>dict()</c>.</summary>
    /// <typeparam name="TKey">The key type; equal keys must serialize alike.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <returns>Its proxy.</returns>
    /// <exception cref="NotSupportedException">A type cannot be serialized.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public DictionaryProxy<TKey, TValue> Dictionary<TKey, TValue>()
        where TKey : notnull
    {
        EnsureSupported<TKey>();
        EnsureSupported<TValue>();
        return new(Endpoint, _server.AuthKey, _server.Register(new DictionaryObject()));
    }

    /// <summary>Creates a shared, empty list: Python's <c>list()</c>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <returns>Its proxy.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be serialized.</exception>
    /// <exception cref="ObjectDisposedException">The manager is disposed.</exception>
    public ListProxy<T> List<T>()
    {
        EnsureSupported<T>();
        return new(Endpoint, _server.AuthKey, _server.Register(new ListObject()));
    }

    /// <summary>
    /// Stops the manager: closes every connection (calls in flight, in any process, fail with
    /// <see cref="ManagerConnectionException"/>) and deletes its directory. Idempotent.
    /// </summary>
    public void Dispose() => _server.Dispose();

    /// <summary>Same as <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Every queue counts unfinished items; only the joinable proxy shows them.</summary>
    private int RegisterQueue(int maxSize)
    {
        SharedObject shared = new QueueObject(maxSize);
        if (_server.TryCreateSegment(SharedRing.SegmentSizeFor(SharedRing.DefaultRingBytes)) is { } segment)
        {
            SharedRing.Initialize(segment, maxSize, SharedRing.DefaultRingBytes);
            shared = new FastQueueObject(segment);
        }

        return _server.Register(shared);
    }

    private static void EnsureSupported<T>() => new MessagePackPoolSerializer().EnsureSupported(typeof(T));

    /// <summary>The bytes of a value of an unmanaged type, as they lie in memory.</summary>
    private static byte[] Raw<T>(T value)
    {
        byte[] raw = new byte[Unsafe.SizeOf<T>()];
        Unsafe.WriteUnaligned(ref raw[0], value);
        return raw;
    }

    private static T Deserialize<T>(byte[] bytes) => new MessagePackPoolSerializer().Deserialize<T>(bytes);

    private static byte[] SerializeInitial<T>(T value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new MessagePackPoolSerializer().Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }
}
