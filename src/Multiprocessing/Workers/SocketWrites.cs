using System.Net.Sockets;

namespace Multiprocessing.Workers;

/// <summary>Gathered writes to a blocking socket, completed however the kernel splits them.</summary>
internal static class SocketWrites
{
    public static void SendAll(Socket socket, List<ArraySegment<byte>> segments)
    {
        long total = 0;
        foreach (var s in segments)
        {
            total += s.Count;
        }

        long sent = socket.Send(segments);
        if (sent >= total)
        {
            return;
        }

        // A partial gathered send: what is left goes segment by segment.
        long skip = sent;
        foreach (var s in segments)
        {
            if (skip >= s.Count)
            {
                skip -= s.Count;
                continue;
            }

            var rest = s.AsSpan((int)skip);
            skip = 0;
            int n = 0;
            while (n < rest.Length)
            {
                n += socket.Send(rest[n..]);
            }
        }
    }
}
