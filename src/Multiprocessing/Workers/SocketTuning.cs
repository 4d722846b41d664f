using System.Net.Sockets;

namespace Multiprocessing.Workers;

/// <summary>
/// Socket buffers large enough that a batch of chunks or results, or a big payload, moves in a few
/// system calls and context switches rather than hundreds (the default for a Unix socket is ~200 KB).
/// </summary>
internal static class SocketTuning
{
    public const int BufferBytes = 4 << 20;

    public static void Apply(Socket socket)
    {
        try
        {
            socket.SendBufferSize = BufferBytes;
            socket.ReceiveBufferSize = BufferBytes;
        }
        catch (SocketException)
        {
            // The system caps it lower: the default still works, only slower.
        }
    }
}
