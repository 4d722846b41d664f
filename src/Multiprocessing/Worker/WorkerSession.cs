using System.Collections.Concurrent;
using Multiprocessing.Protocol;
using Multiprocessing.Workers;

namespace Multiprocessing.Worker;

/// <summary>
/// One worker process's connection to its parent, from the handshake to <c>Shutdown</c>: <see cref="Handshake"/>,
/// <see cref="Initialize"/>, then <see cref="Loop"/>. Two threads: a reader that drains the socket into a queue
/// (so the parent can always write, and so that the parent's death is seen even while a task runs), and the main
/// thread, which runs frames in order and writes results, batching them while more work is already queued.
/// </summary>
internal sealed partial class WorkerSession : IDisposable
{
    private const int ExitShutdown = 0;
    private const int ExitNoInit = 3;
    private const int ExitInitializerFailed = 4;
    private const int ExitFailed = 70;

    private readonly int _index;
    private readonly byte[] _token;
    private readonly WorkerStatusSlot? _status;

    /// <summary>Restamps the status slot's task start (the task timeout reads it); null without a slot.</summary>
    private readonly Action? _stampItem;
    private readonly Stream _stream;
    private readonly BulkChannel? _bulk;
    private readonly WorkerOutput _wire;
    private readonly FrameReader _reader;
    private readonly PooledBufferWriter _output = new();
    private readonly BlockingCollection<QueuedFrame> _queue = [];
    private readonly ChunkCancellation _cancellation = new();
    private readonly LargeGarbage _largeGarbage = new();

    private WorkerSession(int index, byte[] token, WorkerStatusSlot? status, Stream stream, BulkChannel? bulk)
    {
        _index = index;
        _token = token;
        _status = status;
        _stampItem = status is null ? null : status.ItemStarted;
        _stream = stream;
        _bulk = bulk;
        _wire = new WorkerOutput(stream, bulk?.Sender);
        _reader = new FrameReader(stream) { Bulk = bulk?.Receiver };
    }

    /// <summary>This process's session, while it runs (for tests that look at a worker from inside a task).</summary>
    internal static WorkerSession? Current { get; private set; }

    /// <summary>The path of this worker's ring files less the generation number.</summary>
    internal string? OwnRingFilePrefix => _bulk?.OwnFilePrefix;

    /// <summary>Runs the worker whose parent the environment names, then ends the process.</summary>
    public static void RunAndExit()
    {
        int code;
        try
        {
            using var session = Connect();
            Current = session;
            code = session.Run();
        }
#pragma warning disable CA1031 // Last resort: report and exit; the parent sees the exit code and stderr.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Multiprocessing worker failed: {ex}");
            code = ExitFailed;
        }

        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(code);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _output.Dispose();
        _bulk?.Dispose();
        _stream.Dispose();
        _status?.Dispose();
    }

    private int Run()
    {
        if (Handshake() is not { } init)
        {
            return ExitNoInit;
        }

        if (Initialize(init) is not { } functions)
        {
            return ExitInitializerFailed;
        }

        return Loop(functions, init);
    }
}
