using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MessagePack;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <summary>
/// The parent's handle on one worker process: its process, its socket, and the chunks it holds. The
/// scheduling fields are guarded by the executor's lock; the socket's writes by <see cref="_writeLock"/>.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int StderrLinesKept = 20;

    private readonly object _writeLock = new();
    private readonly HashSet<int> _defined = [];
    private readonly Queue<string> _stderrTail = new();
    private string? _crashReport;
    private long _stderrLeftOut;
    private readonly PooledBufferWriter _headers = new();
    private int _lost;

    public WorkerProcess(int index, Process process, string token, WorkerStatusSlot status)
    {
        Index = index;
        Process = process;
        Token = token;
        Status = status;
    }

    public WorkerStatusSlot Status { get; }

    public int Index { get; }

    public Process Process { get; }

    public string Token { get; }

    public int ProcessId { get; set; }

    // Guarded by the executor's lock.
    public WorkerState State { get; set; }

    public Dictionary<long, ProcessChunk> InFlight { get; } = [];

    /// <summary>How many follow-up calls a task on this worker is waiting for (it gets no work meanwhile).</summary>
    public int AwaitingSubtasks { get; set; }

    /// <summary>The estimated run time of the chunks this worker holds.</summary>
    public long QueuedTicks { get; set; }

    public int ChunksAssigned { get; set; }

    /// <summary>How many of the chunks it holds the parent has asked back (<see cref="Protocol.FrameKind.Revoke"/>), answer pending.</summary>
    public int Revoking { get; set; }

    /// <summary>True from launch until it is ready or gone: it counts toward the starts allowed at once.</summary>
    public bool HoldsStartSlot { get; set; }

    /// <summary>Why it is going, once that is decided (<see cref="WorkerExit.Crashed"/>: nothing decided).</summary>
    public WorkerExit Exit { get; private set; }

    /// <summary>The chunk whose task ran past the timeout, when the watchdog killed this worker for it.</summary>
    public long TimedOutChunk { get; set; }

    /// <summary>The task the watchdog last saw running (chunk id and the worker's start stamp) and when it saw it
    /// start, on the pool's clock (under the executor's lock).</summary>
    public (long Chunk, long Stamp, long StartedAt) WatchedTask { get; set; }

    public Socket? Socket { get; private set; }

    /// <summary>The shared-memory rings for large frames, when the machine has them.</summary>
    public BulkChannel? Bulk { get; init; }

    public FrameReader? Reader { get; private set; }

    /// <summary>Completes when the parent has read the worker's standard output and error to their end.</summary>
    public Task OutputDrained { get; set; } = Task.CompletedTask;

    public void Attach(Socket socket, FrameReader reader)
    {
        Socket = socket;
        Reader = reader;
        reader.Bulk = Bulk?.Receiver;
    }

    /// <summary>Under the executor's lock: records why the worker is going, unless a weightier reason was recorded.</summary>
    public void RecordExit(WorkerExit exit)
    {
        if (exit > Exit)
        {
            Exit = exit;
        }
    }

    /// <summary>True the first time only: the loss of a worker is handled once, whoever notices first.</summary>
    public bool MarkLost() => Interlocked.Exchange(ref _lost, 1) == 0;

    /// <summary>
    /// Keeps a line the worker wrote to stderr; true when it should go to the parent's console now. From the first
    /// line of a crash report the runtime writes as the process dies (a stack overflow's can run to 55,000 lines)
    /// nothing more goes to the console: the report goes once, capped, into the crash's exception.
    /// </summary>
    public bool NoteStandardError(string line)
    {
        lock (_stderrTail)
        {
            if (_crashReport is null && IsCrashReport(line))
            {
                // What came before was the tasks' own output, shown already; the report starts afresh.
                _crashReport = line;
                _stderrTail.Clear();
                _stderrLeftOut = 0;
                return false;
            }

            _stderrTail.Enqueue(line);
            if (_stderrTail.Count > StderrLinesKept)
            {
                _stderrTail.Dequeue();
                _stderrLeftOut++;
            }

            return _crashReport is null;
        }
    }

    /// <summary>
    /// The lines for a crash's exception: the last ones it wrote; after a crash report, its first line, how many
    /// lines were left out, and its last lines.
    /// </summary>
    public string[] StandardErrorTail()
    {
        lock (_stderrTail)
        {
            if (_crashReport is null)
            {
                return [.. _stderrTail];
            }

            var lines = new List<string>(StderrLinesKept + 2) { _crashReport };
            if (_stderrLeftOut > 0)
            {
                lines.Add($"... ({_stderrLeftOut:N0} lines left out)");
            }

            lines.AddRange(_stderrTail);
            return [.. lines];
        }
    }

    /// <summary>True when the worker wrote a crash report that went to no console (its exception shows it).</summary>
    public bool HasCrashReport
    {
        get
        {
            lock (_stderrTail)
            {
                return _crashReport is not null;
            }
        }
    }

    /// <summary>The first line the .NET runtime writes to stderr when it ends a process for an unhandled failure.</summary>
    private static bool IsCrashReport(string line) =>
        line.StartsWith("Unhandled exception. ", StringComparison.Ordinal)
        || line.StartsWith("Process terminated.", StringComparison.Ordinal)
        || line.StartsWith("Fatal error.", StringComparison.Ordinal)
        || line == "Stack overflow.";

    public void SendInit(byte[] initBody)
    {
        lock (_writeLock)
        {
            _headers.Clear();
            int frame = FrameWriter.Begin(_headers, FrameKind.Init);
            _headers.Write(initBody);
            FrameWriter.End(_headers, frame);
            SendAll([_headers.WrittenSegment]);
        }
    }

    public void SendCancel(long chunkId) => SendChunkId(FrameKind.Cancel, chunkId);

    public void SendRevoke(long chunkId) => SendChunkId(FrameKind.Revoke, chunkId);

    public void SendSubmitResult(long requestId, bool ok, ReadOnlySpan<byte> body)
    {
        lock (_writeLock)
        {
            _headers.Clear();
            int frame = FrameWriter.Begin(_headers, FrameKind.SubmitResult);
            IdHeader.Write(_headers, requestId, ok);
            _headers.Write(body);
            FrameWriter.End(_headers, frame);
            SendAll([_headers.WrittenSegment]);
        }
    }

    public void SendShutdown()
    {
        lock (_writeLock)
        {
            _headers.Clear();
            FrameWriter.Empty(_headers, FrameKind.Shutdown);
            SendAll([_headers.WrittenSegment]);
        }
    }

    /// <summary>
    /// Writes a batch of chunks in one gathered send: each chunk's header from a shared buffer, its
    /// payload straight from the chunk (no copy). A function is defined on first use on this connection.
    /// </summary>
    public void Send(List<ProcessChunk> batch)
    {
        lock (_writeLock)
        {
            _headers.Clear();
            var marks = new List<(int HeaderStart, int HeaderEnd, ArraySegment<byte> Payload, OutOfBandBlobs? Blobs)>(batch.Count);
            foreach (var chunk in batch)
            {
                int start = _headers.WrittenCount;
                chunk.RanCold = _defined.Add(chunk.FunctionId);
                if (chunk.RanCold)
                {
                    int define = FrameWriter.Begin(_headers, FrameKind.Define);
                    FrameWriter.Int32(_headers, chunk.FunctionId);
                    var writer = new MessagePackWriter(_headers);
                    chunk.Descriptor.Write(ref writer);
                    writer.Flush();
                    FrameWriter.End(_headers, define);
                }

                int frame = FrameWriter.Begin(_headers, FrameKind.Chunk);
                var blobs = chunk.Blobs;
                new ChunkHeader(chunk.Id, chunk.FunctionId, chunk.Count, chunk.TimeoutOverride is not null, chunk.Job.Activity?.Id, blobs is null ? null : (int)blobs.Length).Write(_headers);
                int headerLength = _headers.WrittenCount - frame - 4;
                long total = headerLength + chunk.Payload.Count + (blobs?.Length ?? 0);
                if (total > FrameReader.MaxFrameLength)
                {
                    throw new InvalidOperationException($"A chunk of {total} bytes is over the 2 GB frame limit; use a smaller chunksize.");
                }

                int length = (int)total;
                if (Bulk is { } bulk && bulk.Sender.TryReserve(length, out int generation, out long position, out var target))
                {
                    // Large: the frame goes into the shared ring and a Bulk frame says where.
                    _headers.WrittenSpan[(frame + 4)..].CopyTo(target);
                    chunk.Payload.AsSpan().CopyTo(target[headerLength..]);
                    blobs?.CopyTo(target[(headerLength + chunk.Payload.Count)..]);
                    _headers.Truncate(frame);
                    BulkSender.WriteFrame(_headers, generation, position, length);
                    marks.Add((start, _headers.WrittenCount, ArraySegment<byte>.Empty, null));
                    continue;
                }

                BinaryPrimitives.WriteInt32LittleEndian(_headers.WrittenSpan.Slice(frame, 4), length);
                marks.Add((start, _headers.WrittenCount, chunk.Payload, blobs));
            }

            byte[] headerBytes = _headers.WrittenSegment.Array!;
            var segments = new List<ArraySegment<byte>>(marks.Count * 2);
            foreach (var (headerStart, headerEnd, payload, blobs) in marks)
            {
                segments.Add(new ArraySegment<byte>(headerBytes, headerStart, headerEnd - headerStart));
                if (payload.Count > 0)
                {
                    segments.Add(payload);
                }

                if (blobs is not null)
                {
                    // Inline with blobs: everything up to here, then the blobs from the caller's arrays.
                    SendAll(segments);
                    segments.Clear();
                    blobs.SendTo(Socket ?? throw new IOException("The worker is not connected."));
                }
            }

            if (segments.Count > 0)
            {
                SendAll(segments);
            }
        }
    }

    public void Kill()
    {
        try
        {
            // The whole tree only when there is one: finding the descendants reads every process's /proc
            // entries (10-60 ms per worker on a machine running a few hundred processes, paid at every Dispose).
            Process.Kill(entireProcessTree: MayHaveChildren(Process.Id));
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited, or never started.
        }

        CloseSocket();
    }

    /// <summary>
    /// Whether <paramref name="pid"/> may have started processes: on Linux, whether any of its threads lists a
    /// child in <c>/proc/{pid}/task/{tid}/children</c>; elsewhere (or when that cannot be read) true.
    /// </summary>
    internal static bool MayHaveChildren(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "children")).AsSpan().Trim().Length > 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already (nothing to kill), or a kernel without the children file: take the whole tree.
            return true;
        }
    }

    public void CloseSocket()
    {
        try
        {
            Socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        Socket?.Dispose();
    }

    public void Dispose()
    {
        CloseSocket();
        Reader?.Dispose();
        lock (_writeLock)
        {
            _headers.Dispose();
            Bulk?.Dispose();
        }

        // Process.Dispose leaves the redirected stdin pipe to the finalizer.
        try
        {
            Process.StandardInput.Dispose();
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Never started, or the pipe is broken already.
        }

        Process.Dispose();
        Status.Dispose();
    }

    public override string ToString() => $"worker {Index} (pid {ProcessId})";

    private void SendChunkId(FrameKind kind, long chunkId)
    {
        lock (_writeLock)
        {
            _headers.Clear();
            int frame = FrameWriter.Begin(_headers, kind);
            IdHeader.Write(_headers, chunkId);
            FrameWriter.End(_headers, frame);
            SendAll([_headers.WrittenSegment]);
        }
    }

    private void SendAll(List<ArraySegment<byte>> segments) => SocketWrites.SendAll(Socket ?? throw new IOException("The worker is not connected."), segments);
}
