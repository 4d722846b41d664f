using System.Collections.Concurrent;
using System.Net.Sockets;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;

namespace Multiprocessing.Workers;

/// <summary>
/// The pool's Unix domain socket, in a private (0700) temporary directory. A worker proves who it is with
/// the random token it was started with; any other connection is dropped without a word.
/// </summary>
internal sealed class WorkerListener : IDisposable
{
    private const int Backlog = 128;

    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly Lock _gate = new();

    // Linux: the listening descriptor, made with libc calls, until the accept thread wraps it in _socket
    // (a Socket's first construction costs milliseconds that need not delay the first worker's start).
    private int _fd = -1;
    private Socket? _socket;
    private readonly ConcurrentDictionary<string, WorkerProcess> _expected = new();
    private readonly Action<WorkerProcess, Socket, FrameReader> _onConnected;
    private int _disposed;

    /// <param name="onConnected">Called on the connection's own thread once its worker is known; it may keep the thread (as the worker's reader).</param>
    public WorkerListener(Action<WorkerProcess, Socket, FrameReader> onConnected)
    {
        _onConnected = onConnected;
        _directory = PrivateDirectory.Create(OwnedNames.New(OwnedNames.PoolPrefix, 6), "the pool's socket");
        try
        {
            SocketPath = Path.Combine(_directory, "s");
            _fd = OperatingSystem.IsLinux() ? UnixSockets.TryListen(SocketPath, Backlog) : -1;
            if (_fd < 0)
            {
                _socket = PrivateDirectory.Listen(SocketPath, "the pool's socket");
            }
        }
        catch
        {
            PrivateDirectory.Delete(_directory);
            throw;
        }
    }

    public string SocketPath { get; }

    /// <summary>
    /// Starts accepting: connections made before this wait in the socket's backlog. The pool calls it once its first
    /// workers are launched, so that wrapping the socket (milliseconds of CPU) does not compete with their start.
    /// </summary>
    public void Start() => new Thread(AcceptLoop) { IsBackground = true, Name = "Multiprocessing accept" }.Start();

    /// <summary>The private directory, for the workers' status files.</summary>
    public string Directory => _directory;

    public static string NewToken() => SecureRandom.Hex(32);

    public void Expect(WorkerProcess worker) => _expected[worker.Token] = worker;

    public void Forget(WorkerProcess worker) => _expected.TryRemove(worker.Token, out _);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Socket? socket;
        int fd;
        lock (_gate)
        {
            socket = _socket;
            fd = _fd;
            _fd = -1;
        }

        if (socket is not null)
        {
            // Also wakes the accept thread from its blocking Accept.
            socket.Dispose();
        }
        else if (fd >= 0)
        {
            _ = UnixSockets.Close(fd);
        }

        PrivateDirectory.Delete(_directory);
    }

    private void AcceptLoop()
    {
        Socket listener;
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            if (_socket is null)
            {
                try
                {
                    _socket = new Socket(new SafeSocketHandle(_fd, ownsHandle: true));
                }
                catch (SocketException)
                {
                    // Cannot happen for a descriptor we made; the workers' connections fail and the pool says so.
                    _ = UnixSockets.Close(_fd);
                    _fd = -1;
                    return;
                }

                _fd = -1;
            }

            listener = _socket;
        }

        while (Volatile.Read(ref _disposed) == 0)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            // A thread of its own rather than the thread pool (in a fresh process the pool's first work item would start
            // the thread pool on the way to the first result); once the worker is known, it goes on as its reader.
            new Thread(static state => { var (listener, socket) = ((WorkerListener, Socket))state!; listener.Handshake(socket); }) { IsBackground = true, Name = "Multiprocessing handshake" }
                .Start((this, client));
        }
    }

    private void Handshake(Socket client)
    {
        FrameReader? reader = null;
        try
        {
            client.ReceiveTimeout = (int)s_helloTimeout.TotalMilliseconds;
            reader = new FrameReader(new NetworkStream(client, ownsSocket: false));
            if (reader.TryRead(out var kind, out var body) && kind == FrameKind.Hello && HelloMessage.TryRead(body, out var hello)
                && _expected.TryRemove(SecureRandom.LowerHex(hello.Token.Span), out var worker))
            {
                client.ReceiveTimeout = 0;
                SocketTuning.Apply(client);
                worker.ProcessId = hello.ProcessId;
                _onConnected(worker, client, reader);
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or InvalidDataException or ObjectDisposedException)
        {
            // Not one of ours, or it went away: drop it.
        }

        reader?.Dispose();
        client.Dispose();
    }
}
