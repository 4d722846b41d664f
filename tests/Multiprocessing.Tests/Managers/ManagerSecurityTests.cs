using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Multiprocessing.Managers;
using Multiprocessing.Tests.Support;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Tests.Managers;

/// <summary>Only holders of the manager's key get in; the others are dropped and learn nothing.</summary>
public sealed class ManagerSecurityTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Manager _manager = new();

    public void Dispose() => _manager.Dispose();

    [Fact]
    public void Endpoint_Directory_IsPrivateToTheUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string directory = Path.GetDirectoryName(_manager.Endpoint)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
    }

    [Fact]
    public void SharedMemorySegments_FileAndDirectory_ArePrivateToTheUserAndGoWithTheManager()
    {
        var sharedLock = _manager.Lock();
        var queue = _manager.Queue<int>();
        if (OperatingSystem.IsWindows() || SegmentCache.Get(sharedLock) is not { } lockSegment || SegmentCache.Get(queue) is not { } queueSegment)
        {
            return; // no fast path on this platform
        }

        foreach (string file in new[] { lockSegment.Path, queueSegment.Path })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }

        _manager.Dispose();
        Assert.False(File.Exists(lockSegment.Path));
        Assert.False(Directory.Exists(Path.GetDirectoryName(lockSegment.Path)));
        Assert.Throws<ManagerConnectionException>(() => sharedLock.Acquire());
        Assert.Throws<ManagerConnectionException>(() => queue.Put(1));
    }

    [Fact]
    public void UnauthenticatedClient_SendsRequestInsteadOfAnswer_IsDroppedAndChangesNothing()
    {
        var ev = _manager.Event();
        using var socket = ConnectRaw();
        byte[] challenge = ReceiveAll(socket);
        Assert.Equal(36, challenge.Length); // the magic and the random challenge: nothing about any object

        // A well-formed "set event" request, padded to the size of a handshake answer.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ManagerFraming.WriteRequest(buffer, 1, new ManagerRequest { Op = ManagerOp.EventSet, ObjectId = ev.ObjectId });
        var attack = new byte[ManagerHandshake.ClientAnswerLength + buffer.WrittenCount];
        buffer.WrittenSpan.CopyTo(attack);
        buffer.WrittenSpan.CopyTo(attack.AsSpan(ManagerHandshake.ClientAnswerLength));
        socket.Send(attack);

        Assert.Empty(ReceiveAll(socket)); // dropped without a word
        Assert.False(ev.IsSet);
    }

    [Fact]
    public void WrongKeyClient_RawHandshake_IsDroppedWithoutProof()
    {
        using var socket = ConnectRaw();
        byte[] hello = ReceiveAll(socket);
        byte[] wrongKey = RandomNumberGenerator.GetBytes(32);
        var answer = new byte[ManagerHandshake.ClientAnswerLength];
        HMACSHA256.HashData(wrongKey, [.. Encoding.ASCII.GetBytes("client"), .. hello.AsSpan(4)], answer);
        socket.Send(answer);
        Assert.Empty(ReceiveAll(socket));
    }

    [Fact]
    public void WrongKeyProxy_AnyCall_FailsWithRefusalAndChangesNothing()
    {
        var ev = _manager.Event();
        var forged = new EventProxy(ev.Endpoint, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ev.ObjectId);
        var ex = Assert.Throws<ManagerConnectionException>(forged.Set);
        Assert.Contains("key does not match", ex.Message);
        Assert.False(ev.IsSet);
    }

    [Fact]
    public void Proxy_Handshake_NeverSendsTheKeyAndRejectsAnImpostor()
    {
        string directory = Directory.CreateTempSubdirectory("mpm-fake-").FullName;
        try
        {
            string path = Path.Combine(directory, "m");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            byte[] key = RandomNumberGenerator.GetBytes(32);
            var impostor = OtherThread.Run(() =>
            {
                using var client = listener.Accept();
                client.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
                client.Send([.. "MPM1"u8, .. RandomNumberGenerator.GetBytes(32)]);
                byte[] received = new byte[ManagerHandshake.ClientAnswerLength];
                int n = 0;
                while (n < received.Length)
                {
                    n += client.Receive(received.AsSpan(n));
                }

                client.Send(new byte[32]); // a proof it cannot compute
                return received;
            });

            var proxy = new EventProxy(path, Convert.ToHexStringLower(key), 1);
            var ex = Assert.Throws<ManagerConnectionException>(proxy.Set);
            Assert.Contains("could not prove", ex.Message);
            Assert.True(impostor.Wait(Timeout));
            Assert.Equal(-1, impostor.Result.AsSpan().IndexOf(key));
            Assert.Equal(-1, impostor.Result.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Socket ConnectRaw()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(_manager.Endpoint));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        return socket;
    }

    /// <summary>Reads until the server stops (36 bytes of hello) or closes (nothing more).</summary>
    private static byte[] ReceiveAll(Socket socket)
    {
        var received = new List<byte>();
        var chunk = new byte[256];
        while (received.Count < 36)
        {
            int n;
            try
            {
                n = socket.Receive(chunk);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                break; // dropped while our unread bytes were still queued: a reset instead of an end, nothing received either way
            }

            if (n == 0)
            {
                break;
            }

            received.AddRange(chunk.AsSpan(0, n));
        }

        return [.. received];
    }
}
