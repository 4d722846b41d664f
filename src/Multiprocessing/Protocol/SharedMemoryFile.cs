using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Multiprocessing.Protocol;

/// <summary>
/// A file mapped read-write into this process: how both the bulk rings (<see cref="BulkRing"/>) and the Manager's
/// shared-memory segments make and open shared memory. A created file is owner-only (0600) and preallocated, or
/// sparse and backed range by range (<see cref="TryBack"/>); the mapping keeps no file descriptor (POSIX keeps a
/// mapping alive without one, and without its name once unlinked).
/// </summary>
internal sealed unsafe partial class SharedMemoryFile : IDisposable
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

    /// <summary>
    /// Whether this kernel backs a range of a mapping on request and reports, instead of raising SIGBUS, when the
    /// file system cannot hold it (<c>MADV_POPULATE_WRITE</c>, Linux 5.14).
    /// </summary>
    public static bool CanBackOnDemand => s_canBack.Value;

    private static readonly Lazy<bool> s_canBack = new(ProbeBackOnDemand);

    /// <summary>
    /// Creates the file (which must not exist) readable by this user only, <paramref name="length"/> zero bytes, and
    /// maps it. Preallocated unless <paramref name="sparse"/>, in which case every range must be backed with
    /// <see cref="TryBack"/> before it is written (only where <see cref="CanBackOnDemand"/>).
    /// </summary>
    /// <exception cref="IOException">The file exists, or the file system cannot hold it (the file is then removed).</exception>
    public static SharedMemoryFile Create(string path, long length, bool sparse = false)
    {
        // Allocated up front (posix_fallocate) unless sparse: on a small /dev/shm (a container's 64 MB, say) this
        // fails here with an IOException, where a write into an unbacked page of the mapping would die of SIGBUS.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            PreallocationSize = sparse ? 0 : length,
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

    /// <summary>
    /// Allocates the pages under [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// and maps them writable, in one call; false when the file system cannot hold them (where a plain write would
    /// have raised SIGBUS). Cheaper than preallocating the whole file and then faulting each page in on first write.
    /// </summary>
    public bool TryBack(long offset, long length)
    {
        long start = offset & ~(PageSize - 1);
        long end = Math.Min(Length, (offset + length + PageSize - 1) & ~(PageSize - 1));
        return end <= start || Madvise(Pointer + start, (nuint)(end - start), MadvPopulateWrite) == 0;
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

    private const long PageSize = 4096;
    private const int MadvPopulateWrite = 23;

    /// <summary>True when <c>MADV_POPULATE_WRITE</c> works here: tried on one private anonymous page.</summary>
    private static bool ProbeBackOnDemand()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        const int protReadWrite = 3, mapPrivateAnonymous = 0x22;
        void* page = Mmap(null, (nuint)PageSize, protReadWrite, mapPrivateAnonymous, -1, 0);
        if (page == (void*)-1)
        {
            return false;
        }

        bool works = Madvise(page, (nuint)PageSize, MadvPopulateWrite) == 0;
        _ = Munmap(page, (nuint)PageSize);
        return works;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(void* address, nuint length, int advice);

    // The offset is an off_t, pointer-sized for the plain symbol on 32-bit Linux as on 64-bit.
    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);
}
