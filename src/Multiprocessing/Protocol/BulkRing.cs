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

    private BulkRing(SharedMemoryFile memory)
    {
        _memory = memory;
        Capacity = memory.Length - HeaderSize;
        _pointer = memory.Pointer;
    }

    public long Capacity { get; }

    /// <summary>The position up to which the receiver has finished with the data (written by the receiver only).</summary>
    public long Head
    {
        get => Volatile.Read(ref *(long*)_pointer);
        set => Volatile.Write(ref *(long*)_pointer, value);
    }

    /// <summary>Creates the file (which must not exist), sized for <paramref name="capacity"/> bytes of data, and maps it.</summary>
    public static BulkRing Create(string path, long capacity)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new IOException("Shared rings are made in /dev/shm, which Windows does not have.");
        }

        return new BulkRing(SharedMemoryFile.Create(path, HeaderSize + capacity));
    }

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

        return new BulkRing(memory);
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
