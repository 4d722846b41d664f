using System.IO.MemoryMappedFiles;

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

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;

    private BulkRing(MemoryMappedFile file, long capacity)
    {
        _file = file;
        Capacity = capacity;
        _view = file.CreateViewAccessor(0, HeaderSize + capacity, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _pointer = p + _view.PointerOffset;
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

        // Allocated up front (posix_fallocate): on a small /dev/shm (a container's 64 MB, say) this fails here with
        // an IOException, where a sparse file would let a later write into the mapping die of SIGBUS.
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            PreallocationSize = HeaderSize + capacity,
        });
        try
        {
            stream.SetLength(HeaderSize + capacity);
            return new BulkRing(MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false), capacity);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Maps the peer's file and removes its name: from now on only the two mappings hold it.</summary>
    public static BulkRing Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            long capacity = stream.Length - HeaderSize;
            if (capacity <= 0 || capacity > MaxCapacity)
            {
                throw new InvalidDataException($"Corrupt shared ring: {stream.Length} bytes.");
            }

            var ring = new BulkRing(MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false), capacity);
            File.Delete(path);
            return ring;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The data at <paramref name="offset"/> (already reduced modulo the capacity and checked by the caller).</summary>
    public byte* At(long offset) => _pointer + HeaderSize + offset;

    public Span<byte> Slice(long offset, int length) => new(At(offset), length);

    public void Dispose()
    {
        if (_pointer != null)
        {
            _pointer = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        _view.Dispose();
        _file.Dispose();
    }
}
