using System.Buffers;
using System.Net.Sockets;
using MessagePack;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// One client connection, served by its own thread: the handshake, then one request at a time. A request
/// that completes at once is answered by this thread; one that parks (a lock wait, an empty queue) is
/// answered when it completes, while this thread keeps reading so that a <see cref="ManagerOp.Cancel"/> or
/// the end of the stream can cancel it. When the connection ends, its parked request is cancelled and
/// finished before the session is left, so nothing is granted to a process that is gone.
/// </summary>
internal sealed class ServerConnection(ManagerServer server, Socket socket, byte[] key)
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _closed = new();
    private readonly ArrayBufferWriter<byte> _out = new(256);
    private readonly Lock _writeLock = new();
    private CancellationTokenSource? _requestCts;
    private Pending? _pending;

    public void Run()
    {
        ManagerSession? session = null;
        try
        {
            if (ManagerHandshake.Accept(socket, key) is not { } hello)
            {
                return;
            }

            socket.ReceiveTimeout = 0;
            socket.SendTimeout = 0;
            session = server.Join(this, hello.Session, hello.Pid);
            if (session is not null)
            {
                Serve(session);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException or ObjectDisposedException or MessagePackSerializationException)
        {
            // The client went away, broke the protocol or failed the handshake: drop it without a word.
        }
        finally
        {
            _closed.Cancel();
            Volatile.Read(ref _pending)?.Task?.Wait(s_drainTimeout);
            if (session is not null)
            {
                server.Leave(this, session);
            }
            else
            {
                server.Untrack(this);
            }

            socket.Dispose();
        }
    }

    public void Close()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private void Serve(ManagerSession session)
    {
        byte[] buffer = new byte[4096];
        while (ManagerFraming.TryReceive(socket, ref buffer, out int length))
        {
            var request = ManagerFraming.ReadRequest(buffer.AsMemory(0, length), out uint seq);
            if (request.Op == ManagerOp.Cancel)
            {
                var pending = Volatile.Read(ref _pending);
                if (pending is not null && pending.Seq == (uint)request.Argument)
                {
                    pending.Cancellation.Cancel();
                }

                continue;
            }

            if (Volatile.Read(ref _pending) is not null)
            {
                throw new InvalidDataException("A second request arrived while one was in flight.");
            }

            if (server.Find(request.ObjectId) is not { } shared)
            {
                Send(seq, ManagerReply.Error(ReplyError.InvalidOperation, $"The manager has no object {request.ObjectId}."));
                continue;
            }

            if (request.Op == ManagerOp.Segment)
            {
                // Only an authenticated client learns where the object's shared memory is (the file is 0600 in a 0700 directory).
                Send(seq, server.OffersSegments && shared.Segment is { } segment
                    ? new ManagerReply(ReplyStatus.Ok, segment.Size, null, segment.Path)
                    : ManagerReply.False);
                continue;
            }

            if (_requestCts is null || _requestCts.IsCancellationRequested)
            {
                _requestCts = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
            }

            ValueTask<ManagerReply> handled;
            try
            {
                handled = shared.HandleAsync(request, session, _requestCts.Token, _closed.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                handled = new(Failed(ex));
            }

            if (handled.IsCompleted)
            {
                Send(seq, Result(handled));
            }
            else
            {
                // Published before the continuation can run, so the completion always finds itself there.
                var pending = new Pending(seq, _requestCts);
                Volatile.Write(ref _pending, pending);
                pending.Task = CompleteAsync(handled, pending);
            }
        }
    }

    private async Task CompleteAsync(ValueTask<ManagerReply> handled, Pending pending)
    {
        ManagerReply reply;
        try
        {
            reply = await handled.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reply = Failed(ex);
        }

        // Cleared before the reply goes out: the client's next request (or a late cancel) must find no request in flight.
        Interlocked.CompareExchange(ref _pending, null, pending);
        try
        {
            Send(pending.Seq, reply);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client is gone; the reader thread is tearing the connection down.
        }
    }

    private static ManagerReply Result(ValueTask<ManagerReply> handled)
    {
        try
        {
            return handled.Result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Failed(ex);
        }
    }

    private static ManagerReply Failed(Exception ex) =>
        ManagerReply.Error(ReplyError.InvalidOperation, $"The manager failed the request: {ex.GetType().Name}: {ex.Message}");

    private void Send(uint seq, in ManagerReply reply)
    {
        lock (_writeLock)
        {
            ManagerFraming.WriteReply(_out, seq, reply);
            ManagerFraming.SendAll(socket, _out.WrittenSpan);
        }
    }

    private sealed class Pending(uint seq, CancellationTokenSource cancellation)
    {
        public uint Seq { get; } = seq;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task? Task { get; set; }
    }
}
