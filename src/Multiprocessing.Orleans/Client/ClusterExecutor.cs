using System.Collections.Concurrent;
using MessagePack;
using Microsoft.Extensions.Logging;
using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;
using Multiprocessing.Orleans.Grains;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Workers;
using Orleans;

namespace Multiprocessing.Orleans.Client;

/// <summary>
/// Runs chunks on the silos of an Orleans cluster: each chunk serialized as for a local worker, sent to the
/// least-loaded silo with free credit, its Result body decoded here. One lock (<see cref="_gate"/>) guards the queue
/// and every silo's in-flight table; grain calls start and replies are delivered outside it. A chunk's attempt id is
/// its <see cref="ProcessChunk.Id"/>, new at every dispatch: a reply counts only while its attempt is the one in
/// flight, so a chunk retried after its silo was lost is settled once, whatever the old call does later.
/// </summary>
internal sealed partial class ClusterExecutor : Executor
{
    private readonly object _gate = new();
    private readonly IClusterClient _client;
    private readonly ClusterPoolOptions _options;
    private readonly IPoolSerializer _serializer;
    private readonly FunctionTable _functions;
    private readonly ConcurrentDictionary<int, byte[]> _descriptors = new();
    private readonly LinkedList<ProcessChunk> _pending = new();
    private readonly Dictionary<string, SiloState> _silos = [];
    private readonly Dictionary<ProcessChunk, (int SilosLost, int CallFailures)> _losses = [];
    private readonly Dictionary<int, TaskCost> _costs = [];
    private readonly ManualResetEventSlim _drained = new(false);
    private readonly TaskCompletionSource _drainedAsync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Guid _driver = Guid.NewGuid();
    private readonly List<SiloState> _chosen = [];

    /// <summary>Under the lock: the processes <see cref="Resize"/> asked for, or null (every silo).</summary>
    private int? _targetProcesses;
    private long _nextAttempt;

    // Replies taken from the in-flight tables and not yet delivered: the pool is not drained until they are, so that
    // Join returns after every result (and the callbacks it posts) has been handed over.
    private int _settling;
    private bool _closed;
    private bool _terminated;

    public ClusterExecutor(IClusterClient client, ClusterPoolOptions options)
    {
        _client = client;
        _options = options;
        _serializer = options.Serializer ?? new MessagePackPoolSerializer();
        _functions = new FunctionTable(_serializer);
        Start();
    }

    private ILogger? Logger => _options.Logger;

    public override int Processes
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(1, UsableSilos().Sum(s => s.Processes));
            }
        }
    }

    public override TimeSpan ChunkTarget => _options.TargetChunkDuration;

    /// <summary>
    /// Sets how many of the silos' processes this pool uses: the silos it has (then others, by address) until their
    /// processes reach <paramref name="processes"/>, or every silo when they have fewer. Only this pool changes: the
    /// silos and their pools are shared. Chunks already sent to a silo it stops using finish there.
    /// </summary>
    public override void Resize(int processes)
    {
        lock (_gate)
        {
            _targetProcesses = processes;
            _chosen.RemoveAll(s => s.Lost);
            while (_chosen.Count > 1 && _chosen.Take(_chosen.Count - 1).Sum(s => s.Processes) >= processes)
            {
                _chosen.RemoveAt(_chosen.Count - 1);
            }
        }

        Dispatch();
    }

    public override long QueuedChunks => Locked(static e => e._pending.Count);

    public override long InFlightChunks => Locked(static e => e._silos.Values.Sum(s => (long)s.InFlight.Count));

    private long Locked(Func<ClusterExecutor, long> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    public override FunctionHandle<TArgs, TResult> Prepare<TArgs, TResult>(Delegate user, Func<TArgs, TResult> invoke, string parameterName)
    {
        var handle = _functions.Prepare(user, invoke, parameterName);
        _descriptors.GetOrAdd(handle.Id, static (_, descriptor) =>
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            descriptor.Write(ref writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }, handle.Descriptor!);
        return handle;
    }

    public override Chunk CreateChunk<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, Job<TResult> job, long start, bool oneCall = false)
    {
        byte[] payload;
        try
        {
            var buffer = new ArrayBufferWriterBytes();
            _serializer.Serialize(buffer, items);
            payload = buffer.ToArray();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw ArgumentErrors.Unserializable(_serializer, function.User, function.Descriptor!.DisplayName, items, oneCall, ex);
        }

        if (payload.Length > _options.MaxChunkBytes)
        {
            // Orleans would refuse and resend an oversized message for as long as the response timeout: refuse it here.
            throw new ArgumentException(
                $"A chunk of {items.Length} task(s) of {function.Descriptor!.DisplayName} is {payload.Length:N0} bytes serialized, over ClusterPoolOptions.MaxChunkBytes ({_options.MaxChunkBytes:N0}); use a smaller chunksize or smaller arguments.",
                oneCall ? "args" : "iterable");
        }

        return new ProcessChunk<TResult>(job, start, items.Length, function.Id, function.Descriptor!, payload);
    }

    public override Exception? Enqueue(IReadOnlyList<Chunk> chunks)
    {
        KeepOwnerAlive(chunks);
        lock (_gate)
        {
            foreach (ProcessChunk chunk in chunks)
            {
                _pending.AddLast(chunk);
            }
        }

        return null;
    }

    public override double? MeasuredTicksPerTask(int functionId)
    {
        lock (_gate)
        {
            return _costs.TryGetValue(functionId, out var cost) ? cost.TicksPerTask : null;
        }
    }

    /// <summary>Sends queued chunks to the least-loaded silos with credit (one chunk at a time, so work spreads).</summary>
    public override void Dispatch()
    {
        List<(SiloState Silo, ProcessChunk Chunk, long Attempt, CancellationToken Token)>? sends = null;
        lock (_gate)
        {
            while (!_terminated && _pending.First is { } first)
            {
                SiloState? target = null;
                long chunkTicks = EstimateTicks(first.Value);
                foreach (var s in UsableSilos())
                {
                    if (!s.Suspect && HasCredit(s, chunkTicks)
                        && (target is null || s.InFlight.Count * target.Processes < target.InFlight.Count * s.Processes))
                    {
                        target = s;
                    }
                }

                if (target is null)
                {
                    break;
                }

                _pending.RemoveFirst();
                var chunk = first.Value;
                if (chunk.Job.IsAbandoned)
                {
                    _losses.Remove(chunk);
                    continue;
                }

                chunk.Id = ++_nextAttempt;
                var cancel = CancellationTokenSource.CreateLinkedTokenSource(target.Calls.Token);
                target.InFlight.Add(chunk.Id, new InFlightChunk(chunk, cancel, Environment.TickCount64));
                (sends ??= []).Add((target, chunk, chunk.Id, cancel.Token));
            }

            SignalIfDrained();
        }

        foreach (var (silo, chunk, attempt, token) in sends ?? [])
        {
            _ = RunAsync(silo, chunk, attempt, token);
        }
    }

    /// <summary>
    /// Credit: a silo takes one chunk per worker whatever it costs; more (up to <see cref="ClusterPoolOptions.MaxChunksInFlightPerSilo"/>,
    /// by default two per worker) only for chunks measured to cost under the target, whose round trips would otherwise
    /// idle its workers. A chunk of unknown or long work never waits on a silo behind another while a worker elsewhere
    /// could run it (the guide's "first result" pattern).
    /// </summary>
    private bool HasCredit(SiloState silo, long chunkTicks)
    {
        int limit = _options.MaxChunksInFlightPerSilo ?? (2 * silo.Processes);
        return silo.InFlight.Count < Math.Min(silo.Processes, limit)
            || (silo.InFlight.Count < limit && chunkTicks < _options.TargetChunkDuration.Ticks);
    }

    /// <summary>Under the lock: what one chunk is expected to cost, or <see cref="long.MaxValue"/> while its function is unmeasured.</summary>
    private long EstimateTicks(ProcessChunk chunk)
        => _costs.TryGetValue(chunk.FunctionId, out var cost) && cost.Guess is { } perItem ? (long)Math.Min(long.MaxValue / 2, perItem * chunk.Count) : long.MaxValue;

    /// <summary>
    /// Under the lock: the silos that take chunks (answered the watcher, not lost). After a <see cref="Resize"/>, the
    /// same ones for the pool's life (a silo joining later does not take a chosen one's place), replaced only when
    /// lost, and added by address while the target needs more. Called per chunk dispatched: the silos are sorted only
    /// when one must be added.
    /// </summary>
    private IEnumerable<SiloState> UsableSilos()
    {
        var live = _silos.Values.Where(s => !s.Lost && s.Processes > 0);
        if (_targetProcesses is not { } target)
        {
            return live;
        }

        _chosen.RemoveAll(s => s.Lost);
        if (_chosen.Sum(c => c.Processes) >= target || _chosen.Count >= live.Count())
        {
            return _chosen.Where(s => s.Processes > 0);
        }

        foreach (var s in live.OrderBy(s => s.Address, StringComparer.Ordinal))
        {
            if (_chosen.Sum(c => c.Processes) >= target)
            {
                break;
            }

            if (!_chosen.Contains(s))
            {
                _chosen.Add(s);
            }
        }

        return _chosen.Where(s => s.Processes > 0);
    }

    private async Task RunAsync(SiloState silo, ProcessChunk chunk, long attempt, CancellationToken token)
    {
        ChunkReply? reply = null;
        Exception? failure = null;
        try
        {
            byte[] payload = chunk.Payload.Array!;
            reply = await silo.Grain.Run(new ChunkRequest(_descriptors[chunk.FunctionId], payload, chunk.Count, attempt, _driver), token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever ends the call, the chunk is settled or retried; nothing escapes to the thread pool.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        OnReply(silo, attempt, reply, failure);
    }

    private void OnReply(SiloState silo, long attempt, ChunkReply? reply, Exception? failure)
    {
        ProcessChunk chunk;
        Exception? fail = null;
        Exception? retried = null;
        lock (_gate)
        {
            if (!silo.InFlight.Remove(attempt, out var entry))
            {
                return; // a stale attempt: the chunk was retried elsewhere, failed or terminated meanwhile
            }

            entry.Cancel.Dispose();
            chunk = entry.Chunk;
            _settling++;
            if (reply is { Outcome: ChunkOutcome.Result } && ResultHeader.TryRead(reply.Body, out var header))
            {
                if (!_costs.TryGetValue(chunk.FunctionId, out var cost))
                {
                    _costs[chunk.FunctionId] = cost = new TaskCost();
                }

                cost.Add(chunk.Count, header.ElapsedTicks, reply.RanCold);
                _losses.Remove(chunk);
            }
            else if (chunk.Job.IsAbandoned)
            {
                _losses.Remove(chunk);
                fail = new OperationCanceledException("The call was cancelled.");
            }
            else if (reply is { Outcome: ChunkOutcome.Failed or ChunkOutcome.Unrunnable })
            {
                _losses.Remove(chunk);
                fail = ReadError(reply.Body);
            }
            else if (reply is { Outcome: ChunkOutcome.Result })
            {
                _losses.Remove(chunk);
                fail = new InvalidDataException($"{silo} sent a Result of {reply.Body.Length} bytes whose header does not fit it.");
            }
            else
            {
                // Refused (the silo is stopping) or a failed call: run it elsewhere, within bounds.
                var loss = reply is null ? ChunkLoss.CallFailed : ChunkLoss.Refused;
                silo.Suspect = true;
                retried = failure ?? (reply is null ? null : ReadError(reply.Body));
                fail = Lose(chunk, loss, silo, retried);
            }
        }

        if (retried is not null && Logger is { } logger)
        {
            logger.LogWarning("Multiprocessing cluster: a chunk's call to {Silo} ended without a result ({Error}); {Action}", silo.Address, retried.Message, fail is null ? "requeued" : "failed");
        }

        try
        {
            if (reply is { Outcome: ChunkOutcome.Result } && fail is null)
            {
                ResultHeader.TryRead(reply.Body, out var header);
                chunk.DeliverBody(_serializer, reply.Body, header);
            }
            else if (fail is not null)
            {
                chunk.Fail(fail);
            }
        }
        finally
        {
            lock (_gate)
            {
                _settling--;
                SignalIfDrained();
            }
        }

        Dispatch();
    }

    /// <summary>Under the lock: counts a loss of <paramref name="chunk"/> and requeues it at the front, or returns why it fails.</summary>
    private SiloLostException? Lose(ProcessChunk chunk, ChunkLoss loss, SiloState silo, Exception? cause)
    {
        _losses.TryGetValue(chunk, out var counts);
        var action = ChunkRetryPolicy.Decide(loss, ref counts.SilosLost, ref counts.CallFailures, _options.MaxSiloRetries);
        if (action == ChunkLossAction.Requeue)
        {
            _losses[chunk] = counts;
            _pending.AddFirst(chunk);
            return null;
        }

        _losses.Remove(chunk);
        return new SiloLostException(
            loss == ChunkLoss.SiloLost
                ? $"The chunk of tasks {chunk.Start}..{chunk.Start + chunk.Count - 1} ({chunk.Descriptor.DisplayName}) was on {counts.SilosLost} silo(s) that were lost (last {silo.Address}); MaxSiloRetries is {_options.MaxSiloRetries}."
                : $"The chunk of tasks {chunk.Start}..{chunk.Start + chunk.Count - 1} ({chunk.Descriptor.DisplayName}) could not be sent: {counts.CallFailures} calls failed (last to {silo.Address}: {cause?.Message}).",
            cause);
    }

    private static Exception ReadError(byte[] body)
    {
        var reader = new MessagePackReader(body);
        return RemoteError.Read(ref reader).ToException();
    }

    public override void Cancel(Job job)
    {
        List<CancellationTokenSource> running = [];
        lock (_gate)
        {
            foreach (var s in _silos.Values)
            {
                running.AddRange(s.InFlight.Values.Where(e => e.Chunk.Job == job).Select(e => e.Cancel));
            }
        }

        foreach (var cancel in running)
        {
            try
            {
                cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Its reply arrived meanwhile.
            }
        }
    }

    public override void Close()
    {
        lock (_gate)
        {
            _closed = true;
            SignalIfDrained();
        }
    }

    public override void Terminate(Exception reason)
    {
        List<ProcessChunk> failed = [];
        List<SiloState> silos;
        lock (_gate)
        {
            _terminated = true;
            failed.AddRange(_pending);
            _pending.Clear();
            _losses.Clear();
            foreach (var s in _silos.Values)
            {
                failed.AddRange(s.InFlight.Values.Select(e => e.Chunk));
                s.InFlight.Clear();
            }

            silos = [.. _silos.Values];
            SignalIfDrained();
        }

        foreach (var chunk in failed)
        {
            chunk.Fail(reason);
        }

        // The silos stop the chunks they run (cancelled calls), as a local pool's workers are killed.
        foreach (var s in silos)
        {
            s.Calls.Cancel();
        }

        _stop.Cancel();
    }

    public override bool Join(TimeSpan timeout)
    {
        bool done = _drained.Wait(timeout);
        if (done)
        {
            _stop.Cancel();
        }

        return done;
    }

    public override async Task JoinAsync()
    {
        await _drainedAsync.Task.ConfigureAwait(false);
        _stop.Cancel();
    }

    /// <summary>Under the lock: closed or terminated with nothing queued or in flight.</summary>
    private void SignalIfDrained()
    {
        if ((_closed || _terminated) && _pending.Count == 0 && _settling == 0 && _silos.Values.All(s => s.InFlight.Count == 0))
        {
            _drained.Set();

            // Safe under the lock: its continuations run asynchronously, never on this thread.
            _drainedAsync.TrySetResult();
        }
    }
}
