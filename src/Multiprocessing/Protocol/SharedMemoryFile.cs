using System.IO.MemoryMappedFiles;

namespace Multiprocessing.Protocol;

/// <summary>
/// A file mapped read-write into this process: how both the bulk rings (<see cref="BulkRing"/>) and the Manager's
/// shared-memory segments make and open shared memory. A created file is owner-only (0600) and preallocated; the
/// mapping keeps no file descriptor (POSIX keeps a mapping alive without one, and without its name once unlinked).
/// </summary>
internal sealed unsafe class SharedMemoryFile : IDisposable
{
    private readonly MemoryMappedViewAccessor _view;
    private int _released;

    private SharedMemoryFile(MemoryMappedViewAccessor view, long length)
    {
        _view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        Pointer = pointer + view.PointerOffset;
    }

    /// <summary>The first byte of the mapping; valid until <see cref="Dispose"/>.</summary>
    public byte* Pointer { get; }

    public long Length { get; }

    /// <summary>Creates the file (which must not exist) readable by this user only, <paramref name="length"/> zero bytes, and maps it.</summary>
    /// <exception cref="IOException">The file exists, or the file system cannot hold it (the file is then removed).</exception>
    public static SharedMemoryFile Create(string path, long length)
    {
        // Allocated up front (posix_fallocate): on a small /dev/shm (a container's 64 MB, say) this fails here with
        // an IOException, where a sparse file would let a later write into the mapping die of SIGBUS.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            PreallocationSize = length,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        try
        {
            stream.SetLength(length);
            return Map(stream, length);
        }
        catch
        {
            // CreateNew succeeded, so the name is ours to remove.
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Maps an existing file whose length must lie in [<paramref name="minLength"/>, <paramref name="maxLength"/>].</summary>
    /// <exception cref="InvalidDataException">The file's length is outside that range.</exception>
    /// <exception cref="IOException">The file cannot be opened or mapped.</exception>
    public static SharedMemoryFile Open(string path, long minLength, long maxLength)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            long length = stream.Length;
            if (length < minLength || length > maxLength)
            {
                throw new InvalidDataException($"The shared-memory file {path} holds {length} bytes; expected {minLength} to {maxLength}.");
            }

            return Map(stream, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
    }

    /// <summary>Maps the whole file; owns <paramref name="stream"/> from here (closed with the mapping object, the view stays).</summary>
    private static SharedMemoryFile Map(FileStream stream, long length)
    {
        using var file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        return new SharedMemoryFile(file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite), length);
    }
}
