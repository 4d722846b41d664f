using Multiprocessing.Protocol;

namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// One shared object's memory: a 0600 file in the manager's private (0700) segment directory, mapped
/// read-write. The header (first 64 bytes) is common to every kind: a magic word, <see cref="IsClosed"/> (set by
/// the manager when it is disposed) and the manager's pid (a waiter that finds it gone stops waiting).
/// The body layout belongs to <see cref="SharedLock"/> or <see cref="SharedRing"/>. Mapped once per process
/// and kept for the life of the process (or the manager, on the server's side).
/// </summary>
internal sealed unsafe class Segment : IDisposable
{
    public const int HeaderSize = 64;
    private const int Magic = 0x314D504D; // "MPM1"
    private const int MagicOffset = 0;
    private const int ClosedOffset = 8;
    private const int ServerPidOffset = 12;

    private readonly SharedMemoryFile _memory;

    private Segment(string path, SharedMemoryFile memory, string endpoint)
    {
        Path = path;
        _memory = memory;
        Endpoint = endpoint;
        Base = memory.Pointer;
    }

    public string Path { get; }

    public long Size => _memory.Length;

    /// <summary>The manager's socket, for error messages.</summary>
    public string Endpoint { get; }

    public byte* Base { get; }

    public bool IsClosed => Volatile.Read(ref *(int*)(Base + ClosedOffset)) != 0;

    /// <summary>Creates, sizes (zero-filled) and maps a new segment file readable by this user only.</summary>
    public static Segment Create(string path, int size, string endpoint)
    {
        // A full /dev/shm fails here (the file is preallocated), as an IOException the manager turns into the socket path,
        // rather than as a SIGBUS in whichever process first touches an unbacked page.
        var segment = new Segment(path, SharedMemoryFile.Create(path, size), endpoint);
        *(int*)(segment.Base + ServerPidOffset) = Environment.ProcessId;
        Volatile.Write(ref *(int*)(segment.Base + MagicOffset), Magic);
        return segment;
    }

    /// <summary>Maps an existing segment that the manager named; null when it cannot (the caller uses the socket instead).</summary>
    public static Segment? TryOpen(string path, long size, string endpoint)
    {
        try
        {
            var segment = new Segment(path, SharedMemoryFile.Open(path, size, size), endpoint);
            if (Volatile.Read(ref *(int*)(segment.Base + MagicOffset)) != Magic)
            {
                segment.Dispose();
                return null;
            }

            return segment;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Throws what a call to a disposed or dead manager throws over the socket.</summary>
    public void ThrowIfClosed()
    {
        if (IsClosed)
        {
            throw Lost();
        }
    }

    /// <summary>For a waiter between slices: the manager was disposed, or its process is gone.</summary>
    public void ThrowIfClosedOrServerDead()
    {
        if (IsClosed || !Futex.IsAlive(*(int*)(Base + ServerPidOffset)))
        {
            throw Lost();
        }
    }

    /// <summary>Marks the segment closed (the manager is being disposed); the owner then wakes its waiters.</summary>
    public void Close() => Volatile.Write(ref *(int*)(Base + ClosedOffset), 1);

    public void Dispose() => _memory.Dispose();

    private ManagerConnectionException Lost() => new(
        $"The manager at {Endpoint} was disposed or its process exited. The call's effect is unknown.");
}
