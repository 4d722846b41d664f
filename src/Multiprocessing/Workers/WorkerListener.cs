using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;

namespace Multiprocessing.Workers;

/// <summary>
/// The pool's Unix domain socket, in a private (0700) temporary directory. A worker proves who it is with
/// the random token it was started with; any other connection is dropped without a word.
/// </summary>
internal sealed class WorkerListener : IDisposable
{
    private static readonly TimeSpan s_helloTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<string, WorkerProcess> _expected = new();
    private readonly Action<WorkerProcess, Socket, FrameReader> _onConnected;
    private int _disposed;

    public WorkerListener(Action<WorkerProcess, Socket, FrameReader> onConnected)
    {
        _onConnected = onConnected;
        _directory = PrivateDirectory.Create(OwnedNames.New(OwnedNames.PoolPrefix, 6), "the pool's socket");
        try
        {
            SocketPath = Path.Combine(_directory, "s");
            _socket = PrivateDirectory.Listen(SocketPath, "the pool's socket");
        }
        catch
        {
            PrivateDirectory.Delete(_directory);
            throw;
        }

        new Thread(AcceptLoop) { IsBackground = true, Name = "Multiprocessing accept" }.Start();
    }

    public string SocketPath { get; }

    /// <summary>The private directory, for the workers' status files.</summary>
    public string Directory => _directory;

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public void Expect(WorkerProcess worker) => _expected[worker.Token] = worker;

    public void Forget(WorkerProcess worker) => _expected.TryRemove(worker.Token, out _);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();
        PrivateDirectory.Delete(_directory);
    }

    private void AcceptLoop()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            Socket client;
            try
            {
                client = _socket.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Listener.Handshake(state.Client), (Listener: this, Client: client), preferLocal: false);
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
                && _expected.TryRemove(Convert.ToHexStringLower(hello.Token.Span), out var worker))
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
