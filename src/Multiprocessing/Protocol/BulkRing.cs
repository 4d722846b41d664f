namespace Multiprocessing.Protocol;

/// <summary>
/// One generation of a bulk ring: a file in <c>/dev/shm</c> (owner-only) mapped by both ends of a connection.
/// The first page is the header, whose first 8 bytes are the receiver's released position; the data follows,
/// <see cref="Capacity"/> bytes, addressed by position modulo the capacity.
/// </summary>
internal sealed unsafe class BulkRing : IDisposable
{
    /// <summary>Bytes before the data: one page, so the data starts page-aligned.</summary>
    public const int HeaderSize = 4096;

    /// <summary>The largest ring accepted from a peer's file.</summary>
    public const long MaxCapacity = 1L << 30;

    private readonly SharedMemoryFile _memory;
    private byte* _pointer;

    /// <summary>The sender's: data below this offset has pages (a sparse ring is backed from offset 0 up as frames need it).</summary>
    private long _backedTo;

    private BulkRing(SharedMemoryFile memory, long backedTo)
    {
        _memory = memory;
        Capacity = memory.Length - HeaderSize;
        _pointer = memory.Pointer;
        _backedTo = backedTo;
    }

    public long Capacity { get; }

    /// <summary>The position up to which the receiver has finished with the data (written by the receiver only).</summary>
    public long Head
    {
        get => Volatile.Read(ref *(long*)_pointer);
        set => Volatile.Write(ref *(long*)_pointer, value);
    }

    /// <summary>
    /// Creates the file (which must not exist), sized for <paramref name="capacity"/> bytes of data, and maps it.
    /// Where the kernel can back pages on request the file is sparse and <see cref="TryBack"/> gives each frame its
    /// pages as it is reserved: a ring is sized for two frames in flight, and preallocating the half a single large
    /// frame never touches cost as much as writing the frame (W7's first round trip, docs/benchmarks.md).
    /// </summary>
    /// <exception cref="IOException">The file exists, or the file system cannot hold its header or (preallocated) its data.</exception>
    public static BulkRing Create(string path, long capacity)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new IOException("Shared rings are made in /dev/shm, which Windows does not have.");
        }

        bool sparse = SharedMemoryFile.CanBackOnDemand;
        var memory = SharedMemoryFile.Create(path, HeaderSize + capacity, sparse);
        if (sparse && !memory.TryBack(0, HeaderSize))
        {
            memory.Dispose();
            File.Delete(path);
            throw new IOException($"The file system of {path} cannot hold a shared ring's header.");
        }

        return new BulkRing(memory, sparse ? 0 : capacity);
    }

    /// <summary>
    /// The sender's, before it writes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// of the data: gives that range pages if it has none yet; false when the file system cannot hold them.
    /// </summary>
    public bool TryBack(long offset, int length)
    {
        long end = offset + length;
        if (end <= _backedTo)
        {
            return true;
        }

        if (!_memory.TryBack(HeaderSize + _backedTo, end - _backedTo))
        {
            return false;
        }

        _backedTo = end;
        return true;
    }

    /// <summary>Data bytes from offset 0 that have pages (for tests).</summary>
    internal long BackedBytes => _backedTo;

    /// <summary>Maps the peer's file and removes its name: from now on only the two mappings hold it.</summary>
    public static BulkRing Open(string path)
    {
        var memory = SharedMemoryFile.Open(path, HeaderSize + 1, HeaderSize + MaxCapacity);
        try
        {
            File.Delete(path);
        }
        catch
        {
            memory.Dispose();
            throw;
        }

        return new BulkRing(memory, memory.Length - HeaderSize);
    }

    /// <summary>The data at <paramref name="offset"/> (already reduced modulo the capacity and checked by the caller).</summary>
    public byte* At(long offset) => _pointer + HeaderSize + offset;

    public Span<byte> Slice(long offset, int length) => new(At(offset), length);

    public void Dispose()
    {
        _pointer = null;
        _memory.Dispose();
    }
}
