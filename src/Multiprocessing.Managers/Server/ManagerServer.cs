using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Multiprocessing.Managers.FastPath;

namespace Multiprocessing.Managers.Server;

/// <summary>
/// The manager's listening side: a Unix domain socket in a private (0700) directory, one thread accepting,
/// one thread per authenticated connection. Holds the shared objects and the client sessions.
/// </summary>
internal sealed class ManagerServer : IDisposable
{
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly Socket _listener;
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<int, SharedObject> _objects = new();
    private readonly Dictionary<Guid, ManagerSession> _sessions = [];
    private readonly HashSet<ServerConnection> _connections = [];
    private readonly Lock _sessionsLock = new();
    private readonly Thread _acceptThread;
    private readonly ManagerFastPath _fastPath;
    private string? _segmentDirectory;
    private int _nextId;
    private int _disposed;

    public ManagerServer(ManagerFastPath fastPath = ManagerFastPath.On)
    {
        _fastPath = fastPath == ManagerFastPath.On && Environment.GetEnvironmentVariable(FastPathEnvironmentVariable) == "0"
            ? ManagerFastPath.Off
            : fastPath;
        _key = RandomNumberGenerator.GetBytes(ManagerHandshake.KeyLength);
        Workers.OwnedNames.SweepDeadOwners();
        _directory = Workers.PrivateDirectory.Create(Workers.OwnedNames.New(Workers.OwnedNames.ManagerPrefix, 6), "the manager's socket");
        Endpoint = Path.Combine(_directory, "m");
        try
        {
            _listener = Workers.PrivateDirectory.Listen(Endpoint, "the manager's socket");
        }
        catch
        {
            Workers.PrivateDirectory.Delete(_directory);
            throw;
        }

        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "Multiprocessing manager accept" };
        _acceptThread.Start();
    }

    /// <summary>Set to 0 in the creating process to keep every object on the socket path (no shared memory).</summary>
    public const string FastPathEnvironmentVariable = "MP_MANAGER_FASTPATH";

    public string Endpoint { get; }

    /// <summary>Whether objects get shared-memory segments: Linux with futexes, and not switched off.</summary>
    public bool UsesSegments => _fastPath != ManagerFastPath.Off && Futex.IsSupported;

    /// <summary>Whether clients are told where the segments are (off in tests of the socket path over segments).</summary>
    public bool OffersSegments => _fastPath == ManagerFastPath.On;

    public string AuthKey => Convert.ToHexStringLower(_key);

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public int Register(SharedObject shared)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int id = Interlocked.Increment(ref _nextId);
        _objects[id] = shared;
        return id;
    }

    public SharedObject? Find(int id) => _objects.GetValueOrDefault(id);

    /// <summary>
    /// A fresh zeroed segment of <paramref name="size"/> bytes, or null when shared memory is off or fails
    /// (the object then lives on the socket path). Files are 0600 in a 0700 directory on /dev/shm (memory,
    /// never written back to disk) when it exists, else in the manager's own directory.
    /// </summary>
    public Segment? TryCreateSegment(int size)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!UsesSegments)
        {
            return null;
        }

        try
        {
            string directory = SegmentDirectory();
            return Segment.Create(Path.Combine(directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))), size, Endpoint);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Dispose();

        // Before the sockets close: fast-path callers check this flag, and sleepers are woken to see it.
        foreach (var shared in _objects.Values)
        {
            shared.OnClosing();
        }

        ServerConnection[] open;
        lock (_sessionsLock)
        {
            open = [.. _connections];
        }

        // Closing the sockets ends every connection thread: their clients see the end of the stream and fail
        // their calls with ManagerConnectionException instead of waiting forever.
        foreach (var connection in open)
        {
            connection.Close();
        }

        _acceptThread.Join(TimeSpan.FromSeconds(5));
        Workers.PrivateDirectory.Delete(_directory);
        if (_segmentDirectory is { } segments)
        {
            // Processes that mapped a segment keep their mapping; the names go now.
            Workers.PrivateDirectory.Delete(segments);
        }
    }

    /// <summary>Called by a connection once it is authenticated; false when the manager is shutting down.</summary>
    internal ManagerSession? Join(ServerConnection connection, Guid sessionId, int processId)
    {
        lock (_sessionsLock)
        {
            if (IsDisposed)
            {
                return null;
            }

            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                session = new ManagerSession(sessionId, processId);
                _sessions.Add(sessionId, session);
            }

            session.Connections++;
            _connections.Add(connection);
            return session;
        }
    }

    /// <summary>Called once per authenticated connection after its last request has finished.</summary>
    internal void Leave(ServerConnection connection, ManagerSession session)
    {
        bool ended;
        lock (_sessionsLock)
        {
            _connections.Remove(connection);
            ended = --session.Connections == 0;
            if (ended)
            {
                _sessions.Remove(session.Id);
            }
        }

        if (ended)
        {
            foreach (var shared in _objects.Values)
            {
                shared.OnSessionEnded(session);
            }
        }
    }

    internal void Track(ServerConnection connection)
    {
        lock (_sessionsLock)
        {
            _connections.Add(connection);
        }
    }

    internal void Untrack(ServerConnection connection)
    {
        lock (_sessionsLock)
        {
            _connections.Remove(connection);
        }
    }

    private string SegmentDirectory()
    {
        lock (_sessionsLock)
        {
            if (_segmentDirectory is null)
            {
                if (OperatingSystem.IsWindows())
                {
                    throw new IOException("No shared-memory segments on Windows.");
                }

                // A name of its own (the owner's pid and start time, then 128 random bits), not the socket directory's: that one can be seen in the temp
                // directory's listing, and another user could create the /dev/shm twin first and then swap our
                // files inside it. A directory that turns out not to be 0700 is not used.
                const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                string shm = "/dev/shm";
                string directory = Directory.Exists(shm)
                    ? Path.Combine(shm, Workers.OwnedNames.New(Workers.OwnedNames.ManagerPrefix, 16))
                    : Path.Combine(_directory, "s");
                Directory.CreateDirectory(directory, Private);
                if (File.GetUnixFileMode(directory) != Private)
                {
                    throw new IOException($"The segment directory {directory} is not private (0700); not using shared memory.");
                }

                _segmentDirectory = directory;
            }

            return _segmentDirectory;
        }
    }

    private void AcceptLoop()
    {
        while (!IsDisposed)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            client.ReceiveTimeout = (int)s_handshakeTimeout.TotalMilliseconds;
            client.SendTimeout = (int)s_handshakeTimeout.TotalMilliseconds;
            var connection = new ServerConnection(this, client, _key);
            Track(connection);
            if (IsDisposed)
            {
                connection.Close();
                return;
            }

            new Thread(connection.Run) { IsBackground = true, Name = "Multiprocessing manager connection" }.Start();
        }
    }
}
