using System.Buffers;
using System.Net.Sockets;
using MessagePack;

namespace Multiprocessing.Managers.Client;

/// <summary>
/// One authenticated connection from a process to a manager, used by one call at a time (see
/// <see cref="ManagerClient"/>). A call is one request and one reply. A cancelled token sends a
/// <see cref="ManagerOp.Cancel"/> for the request in flight and the call still waits for the reply (the
/// manager answers at once), so the connection stays in step and reusable.
/// </summary>
internal sealed class ManagerConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly string _endpoint;
    private readonly ArrayBufferWriter<byte> _out = new(256);
    private readonly ArrayBufferWriter<byte> _cancelOut = new(64);
    private readonly Lock _sendLock = new();
    private byte[] _in = new byte[4096];
    private uint _seq;

    private ManagerConnection(Socket socket, string endpoint)
    {
        _socket = socket;
        _endpoint = endpoint;
    }

    public bool IsBroken { get; private set; }

    public static ManagerConnection Open(string endpoint, byte[] key)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(endpoint));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ManagerConnectionException(
                $"Cannot connect to the manager at {endpoint}: {ex.Message}. The manager was disposed, or the process that created it has exited.", ex);
        }

        try
        {
            ManagerHandshake.Connect(socket, key, endpoint);
            return new ManagerConnection(socket, endpoint);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            socket.Dispose();
            throw ex as ManagerConnectionException
                ?? new ManagerConnectionException($"The connection to the manager at {endpoint} broke during authentication: {ex.Message}", ex);
        }
    }

    public ManagerReply Call(in ManagerRequest request, CancellationToken cancellationToken)
    {
        uint seq = unchecked(++_seq);
        try
        {
            lock (_sendLock)
            {
                ManagerFraming.WriteRequest(_out, seq, request);
                ManagerFraming.SendAll(_socket, _out.WrittenSpan);
            }

            using (cancellationToken.CanBeCanceled ? RegisterCancel(seq, cancellationToken) : default)
            {
                if (!ManagerFraming.TryReceive(_socket, ref _in, out int length))
                {
                    throw new EndOfStreamException();
                }

                return Decode(length, seq);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or InvalidDataException or MessagePackSerializationException)
        {
            throw Broken(ex);
        }
    }

    public async ValueTask<ManagerReply> CallAsync(ManagerRequest request, CancellationToken cancellationToken)
    {
        uint seq = unchecked(++_seq);
        try
        {
            lock (_sendLock)
            {
                ManagerFraming.WriteRequest(_out, seq, request);
            }

            await ManagerFraming.SendAllAsync(_socket, _out.WrittenMemory).ConfigureAwait(false);
            using (cancellationToken.CanBeCanceled ? RegisterCancel(seq, cancellationToken) : default)
            {
                (_in, int length) = await ManagerFraming.ReceiveAsync(_socket, _in).ConfigureAwait(false);
                return Decode(length, seq);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or InvalidDataException or MessagePackSerializationException)
        {
            throw Broken(ex);
        }
    }

    public void Dispose()
    {
        IsBroken = true;
        _socket.Dispose();
    }

    private CancellationTokenRegistration RegisterCancel(uint seq, CancellationToken cancellationToken) =>
        cancellationToken.UnsafeRegister(
            static state =>
            {
                var (connection, seq) = ((ManagerConnection, uint))state!;
                connection.SendCancel(seq);
            },
            (this, seq));

    private void SendCancel(uint seq)
    {
        try
        {
            lock (_sendLock)
            {
                ManagerFraming.WriteRequest(_cancelOut, 0, new ManagerRequest { Op = ManagerOp.Cancel, Argument = seq });
                ManagerFraming.SendAll(_socket, _cancelOut.WrittenSpan);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The connection broke; the call waiting for its reply fails on its own.
        }
    }

    private ManagerReply Decode(int length, uint seq)
    {
        var reply = ManagerFraming.ReadReply(_in.AsMemory(0, length), out uint replySeq);
        return replySeq == seq ? reply : throw new InvalidDataException($"Reply {replySeq} arrived for request {seq}.");
    }

    private ManagerConnectionException Broken(Exception ex)
    {
        IsBroken = true;
        return ex as ManagerConnectionException ?? new ManagerConnectionException(
            $"The connection to the manager at {_endpoint} broke during a call ({ex.Message}): the manager was disposed or its process exited. The call's effect is unknown.", ex);
    }
}
