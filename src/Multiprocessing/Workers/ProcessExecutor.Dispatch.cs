using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Multiprocessing.Diagnostics;
using Multiprocessing.Dispatch;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <content>Queueing and dispatch: which worker gets which chunk, and when.</content>
internal sealed partial class ProcessExecutor
{
    public override Exception? Enqueue(IReadOnlyList<Chunk> chunks)
    {
        if (_watchdog is null && chunks.Count > 0 && ((ProcessChunk)chunks[0]).TimeoutOverride is not null)
        {
            // A per-call timeout on a pool without one: the watchdog starts now, checking every 50 ms.
            var period = TimeSpan.FromMilliseconds(50);
            var timer = _time.CreateTimer(_ => KillOverdueWorkers(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _watchdog, timer, null) is null)
            {
                timer.Change(period, period);
            }
            else
            {
                timer.Dispose();
            }
        }

        KeepOwnerAlive(chunks);
        lock (_gate)
        {
            AssertInvariants();
            if (_broken is { } broken)
            {
                return broken;
            }

            for (int i = 0; i < chunks.Count; i++)
            {
                _pending.Enqueue((ProcessChunk)chunks[i]);
            }

            return null;
        }
    }

    public override void Dispatch() => Dispatch(fromSubmitter: true);

    /// <summary>
    /// Moves queued chunks to workers with credit and writes them. A submitting thread only serves workers
    /// holding fewer than <see cref="MinChunksInFlight"/> chunks (an idle worker starts at once); deeper
    /// credit is filled by the reader threads when results arrive, many chunks per write, instead of one
    /// write per call from the submitter (profiled: a third of ApplyAsync's time was those writes).
    /// </summary>
    private void Dispatch(bool fromSubmitter)
    {
        List<(WorkerProcess Worker, List<ProcessChunk> Chunks)>? batches = null;
        List<WorkerProcess>? retired = null;
        List<(WorkerProcess Worker, long Chunk)>? revokes = null;
        lock (_gate)
        {
            AssertInvariants();
            if (_terminated || _broken is not null)
            {
                return;
            }

            if (_pending.Count == 0)
            {
                revokes = PlanSteals(_workers);
            }

            // One chunk at a time to the least-loaded worker that has credit, so that work spreads over
            // idle workers first (tasks that must run together land on different workers), while each
            // worker's chunks still leave in one write.
            // While a worker is still starting, a busy one gets no second chunk of unknown or long work:
            // the chunk would wait behind the first while the starting worker could run it (the guide's
            // "first result" must not depend on which worker connected first).
            bool anyStarting = false;
            foreach (var w in _workers)
            {
                anyStarting |= w.State == WorkerState.Starting;
            }

            while (_pending.Count > 0)
            {
                WorkerProcess? target = null;
                foreach (var w in _workers)
                {
                    if (CanAccept(w, anyStarting) && (!fromSubmitter || w.InFlight.Count < MinChunksInFlight) && (target is null || w.InFlight.Count < target.InFlight.Count
                        || (w.InFlight.Count == target.InFlight.Count && w.QueuedTicks < target.QueuedTicks)))
                    {
                        target = w;
                    }
                }

                if (target is null)
                {
                    break;
                }

                var chunk = _pending.Dequeue();
                if (chunk.Job.IsAbandoned)
                {
                    continue;
                }

                chunk.Id = ++_nextChunkId;
                chunk.Revoking = false;
                chunk.RevokeRefused = false;
                target.InFlight.Add(chunk.Id, chunk);
                chunk.EstimatedTicks = EstimateTicks(chunk);
                target.QueuedTicks += chunk.EstimatedTicks;
                batches ??= [];
                int slot = 0;
                while (slot < batches.Count && batches[slot].Worker != target)
                {
                    slot++;
                }

                if (slot == batches.Count)
                {
                    batches.Add((target, []));
                }

                batches[slot].Chunks.Add(chunk);
                if (_options.MaxTasksPerChild is { } max && ++target.ChunksAssigned >= max)
                {
                    // Python's maxtasksperchild: no more work for this one; a fresh worker takes its place now.
                    target.State = WorkerState.Retiring;
                    target.RecordExit(WorkerExit.Retired);
                    (retired ??= []).Add(target);
                }
            }

            if (_pending.Count == 0 && batches is not null)
            {
                revokes = PlanSteals(_workers);
            }
        }

        foreach (var (w, id) in revokes ?? [])
        {
            try
            {
                w.SendRevoke(id);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                w.CloseSocket();
            }
        }

        foreach (var w in retired ?? [])
        {
            PoolLog.WorkerRecycled(Logger, w.Index, w.ProcessId, "MaxTasksPerChild");
            StartWorker(throwIfCannot: false);
        }

        foreach (var (target, batch) in batches ?? [])
        {
            try
            {
                target.Send(batch);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The worker is going; its reader sees the end and fails or re-queues what it held.
                target.CloseSocket();
            }
        }
    }

    /// <summary>
    /// Under the lock: chunks taken back from a worker (lost, or a revoke granted) go before everything pending,
    /// in their order: they were dispatched first, and Imap's order and read-ahead wait on them.
    /// </summary>
    private void RequeueAtFront(IEnumerable<ProcessChunk> chunks)
    {
        ProcessChunk[] rest = [.. _pending];
        _pending.Clear();
        foreach (var c in chunks)
        {
            _pending.Enqueue(c);
        }

        foreach (var c in rest)
        {
            _pending.Enqueue(c);
        }
    }

    /// <summary>
    /// Under the lock, with nothing pending: for each idle worker not already promised a chunk being asked
    /// back, the newest chunk that waits (not yet begun) behind another on a busy worker, marked as revoking.
    /// Its worker gives it back if it has not begun it (<see cref="OnRevoked"/> queues it again, and the idle
    /// worker takes it); if it has, the revoke is ignored and nothing is lost. So no worker idles while another
    /// holds work it has not started: the prefetched chunk behind a long task, or guided chunks queued on one.
    /// A worker whose chunks are estimated at little work keeps them: the wait behind them is shorter than
    /// the round trip a move costs.
    /// </summary>
    internal static List<(WorkerProcess Worker, long Chunk)>? PlanSteals(IReadOnlyList<WorkerProcess> workers)
    {
        int idle = 0;
        int promised = 0;
        foreach (var w in workers)
        {
            if (w.State == WorkerState.Ready && w.AwaitingSubtasks == 0 && w.InFlight.Count == 0)
            {
                idle++;
            }

            if (w.State is WorkerState.Ready or WorkerState.Retiring)
            {
                // A lost worker's answers never come: its chunks are queued again by the supervision.
                promised += w.Revoking;
            }
        }

        List<(WorkerProcess, long)>? revokes = null;
        for (int need = idle - promised; need > 0; need--)
        {
            WorkerProcess? victim = null;
            ProcessChunk? best = null;
            foreach (var w in workers)
            {
                // A chunk waits only behind another one: one in flight is running (or about to).
                if (w.State is not (WorkerState.Ready or WorkerState.Retiring) || w.InFlight.Count - w.Revoking < 2 || w.QueuedTicks < s_minStealTicks)
                {
                    continue;
                }

                long running = w.Status.RunningChunk;
                foreach (var c in w.InFlight.Values)
                {
                    if (!c.Revoking && !c.RevokeRefused && c.Id != running && c.Blobs is null
                        && (best is null || (w.InFlight.Count > victim!.InFlight.Count) || (w == victim && c.Id > best.Id)))
                    {
                        victim = w;
                        best = c;
                    }
                }
            }

            if (victim is null || best is null)
            {
                break;
            }

            best.Revoking = true;
            victim.Revoking++;
            (revokes ??= []).Add((victim, best.Id));
        }

        return revokes;
    }

    public override bool MeasuresTaskCost => true;

    public override double? MeasuredTicksPerTask(int functionId)
    {
        lock (_gate)
        {
            AssertInvariants();
            return _costs.TryGetValue(functionId, out var cost) ? cost.TicksPerTask : null;
        }
    }

    public override void Cancel(Job job)
    {
        List<(WorkerProcess Worker, long Chunk)> running = [];
        lock (_gate)
        {
            AssertInvariants();
            foreach (var w in _workers)
            {
                foreach (var chunk in w.InFlight.Values)
                {
                    if (chunk.Job == job)
                    {
                        running.Add((w, chunk.Id));
                    }
                }
            }
        }

        // The newest first: a worker runs its chunks in id order and its reader handles frames in order, so by the
        // time the running task sees its token trip, every later chunk of the job is already marked not to start.
        running.Sort(static (a, b) => b.Chunk.CompareTo(a.Chunk));
        foreach (var (w, id) in running)
        {
            try
            {
                w.SendCancel(id);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                w.CloseSocket();
                continue;
            }

            // Cooperative first; a task that ignores its token is stopped the only sure way.
            _ = DelayThen(_options.CancellationGracePeriod, () =>
            {
                bool kill;
                lock (_gate)
                {
                    AssertInvariants();
                    kill = w.State != WorkerState.Dead && w.Status.RunningChunk == id && w.InFlight.ContainsKey(id);
                    if (kill)
                    {
                        w.RecordExit(WorkerExit.KilledForCancellation);
                    }
                }

                if (kill)
                {
                    PoolLog.CancelledTaskKilled(Logger, w.Index, w.ProcessId, _options.CancellationGracePeriod);
                    w.Kill();
                }
            });
        }
    }

    /// <summary>
    /// Credit: an idle worker takes a chunk; a busy one a second whatever it costs (pipelining) unless
    /// another worker is still starting; more while the estimated queued work is under the budget.
    /// </summary>
    private static bool CanAccept(WorkerProcess w, bool anyStarting) => w.State == WorkerState.Ready && w.AwaitingSubtasks == 0
        && (w.InFlight.Count == 0
            || (w.InFlight.Count < MinChunksInFlight && !anyStarting)
            || (w.InFlight.Count < MaxChunksInFlight && w.QueuedTicks < s_targetQueuedTicks));

    /// <summary>
    /// Under the lock: the expected run time of a chunk from what its function cost before. A function
    /// not yet measured counts as the whole budget, so a worker holds only two of its chunks until the
    /// first result says how cheap they are. Estimates are per function, so a cheap map before an
    /// expensive one does not flood one worker with the expensive one's chunks.
    /// </summary>
    private long EstimateTicks(ProcessChunk chunk)
        => _costs.TryGetValue(chunk.FunctionId, out var cost) && cost.Guess is { } perItem ? (long)Math.Min(s_targetQueuedTicks, perItem * chunk.Count) : s_targetQueuedTicks;
}
