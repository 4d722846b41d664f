using System.Net;
using System.Net.Sockets;

namespace ClusterSample;

/// <summary>Loopback ports the system has free now (shared with the cluster tests and the benchmark, which link this file).</summary>
internal static class LoopbackPorts
{
    /// <summary><paramref name="count"/> distinct ports: bound to port 0 together, so that they differ, then released for the silos.</summary>
    public static int[] Free(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                sockets.Add(socket);
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
