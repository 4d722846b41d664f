using System.Runtime.InteropServices;

namespace Multiprocessing.Workers;

/// <summary>
/// The few libc socket calls the pool makes itself on Linux, where <see cref="System.Net.Sockets.Socket"/>'s first
/// construction in a process costs milliseconds (its telemetry EventSource): a worker's connection
/// (<see cref="Worker.UnixSocketStream"/>) and the parent's listening socket before its accept thread wraps it.
/// </summary>
internal static partial class UnixSockets
{
    public const int AfUnix = 1;
    public const int SockStream = 1;
    public const int SockCloexec = 0x80000;

    /// <summary><c>sizeof(struct sockaddr_un)</c> on Linux: a 2-byte family and a 108-byte path.</summary>
    public const int AddressBytes = 2 + SunPathLength;

    private const int SunPathLength = 108;

    /// <summary>
    /// Writes <c>struct sockaddr_un</c> for <paramref name="path"/> (NUL-terminated) into <paramref name="address"/>
    /// (<see cref="AddressBytes"/> long) and returns the length to pass with it, or -1 if the path is too long.
    /// </summary>
    public static int Address(string path, Span<byte> address)
    {
        int pathBytes = System.Text.Encoding.UTF8.GetByteCount(path);
        if (pathBytes >= SunPathLength)
        {
            return -1;
        }

        address.Clear();
        BitConverter.TryWriteBytes(address, (ushort)AfUnix); // not MemoryMarshal.Write<ushort>, compiled in every fresh process
        System.Text.Encoding.UTF8.GetBytes(path, address[2..]);
        return 2 + pathBytes + 1;
    }

    /// <summary>A listening socket bound at <paramref name="path"/>, or -1 (the caller falls back to the BCL, which reports why).</summary>
    public static unsafe int TryListen(string path, int backlog)
    {
        byte* address = stackalloc byte[AddressBytes];
        int length = Address(path, new Span<byte>(address, AddressBytes));
        if (length < 0)
        {
            return -1;
        }

        int fd = Socket(AfUnix, SockStream | SockCloexec, 0);
        if (fd < 0)
        {
            return -1;
        }

        if (Bind(fd, address, (uint)length) < 0 || Listen(fd, backlog) < 0)
        {
            _ = Close(fd);
            return -1;
        }

        return fd;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static unsafe partial int Bind(int fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int Listen(int fd, int backlog);
}
