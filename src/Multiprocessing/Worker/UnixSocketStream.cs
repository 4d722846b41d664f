using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

using Multiprocessing.Workers;

namespace Multiprocessing.Worker;

/// <summary>
/// A worker's connection to its parent on Linux: a Unix domain socket opened, read and written with libc
/// calls. <see cref="System.Net.Sockets.Socket"/> costs ~13 ms of CPU the first time one is created in a
/// fresh process (its telemetry EventSource, found by reflection, and the epoll engine with its thread);
/// a worker needs none of that, only blocking reads on
/// one thread and writes under one lock. Other systems, or any failure here, use <see cref="Open"/>'s
/// fallback: a <see cref="System.Net.Sockets.NetworkStream"/>.
/// </summary>
internal sealed partial class UnixSocketStream : Stream
{
    private const int SolSocket = 1;
    private const int SoSndbuf = 7;
    private const int SoRcvbuf = 8;
    private const int Eintr = 4;
    private const int MsgNoSignal = 0x4000;

    private readonly SafeFileHandle _handle;

    private UnixSocketStream(SafeFileHandle handle) => _handle = handle;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Connects to the parent's socket at <paramref name="path"/>, with <see cref="SocketTuning"/>'s buffer sizes.</summary>
    public static Stream Open(string path)
    {
        if (OperatingSystem.IsLinux() && TryConnect(path, SocketTuning.BufferBytes) is { } raw)
        {
            return raw;
        }

        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            SocketTuning.Apply(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = SysRecv(_handle, p, (nuint)buffer.Length, 0);
                if (n >= 0)
                {
                    return (int)n;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    throw new IOException($"Reading from the parent's socket failed (errno {errno}).");
                }
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                // send, not write: a parent that is gone must raise an error here, never SIGPIPE.
                nint n = SysSend(_handle, start + done, (nuint)(buffer.Length - done), MsgNoSignal);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr)
                {
                    throw new IOException($"Writing to the parent's socket failed (errno {errno}).");
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private static unsafe UnixSocketStream? TryConnect(string path, int bufferBytes)
    {
        byte* address = stackalloc byte[UnixSockets.AddressBytes];
        int length = UnixSockets.Address(path, new Span<byte>(address, UnixSockets.AddressBytes));
        if (length < 0)
        {
            return null;
        }

        int fd = UnixSockets.Socket(UnixSockets.AfUnix, UnixSockets.SockStream | UnixSockets.SockCloexec, 0);
        if (fd < 0)
        {
            return null;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (SysConnect(handle, address, (uint)length) < 0)
        {
            // Refused, missing, or interrupted: the BCL path reports it (or succeeds) with the usual exception.
            handle.Dispose();
            return null;
        }

        // As SocketTuning does for the parent's end; the system caps it lower if it must.
        _ = SysSetSockOpt(handle, SolSocket, SoSndbuf, &bufferBytes, sizeof(int));
        _ = SysSetSockOpt(handle, SolSocket, SoRcvbuf, &bufferBytes, sizeof(int));
        return new UnixSocketStream(handle);
    }

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static unsafe partial int SysConnect(SafeFileHandle fd, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static unsafe partial int SysSetSockOpt(SafeFileHandle fd, int level, int name, int* value, uint length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint SysRecv(SafeFileHandle fd, byte* buffer, nuint count, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static unsafe partial nint SysSend(SafeFileHandle fd, byte* buffer, nuint count, int flags);
}
