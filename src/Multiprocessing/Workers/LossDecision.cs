namespace Multiprocessing.Workers;

/// <summary>A chunk a lost worker held, as the loss decision sees it.</summary>
/// <param name="Id">The chunk's id (ids grow with dispatch order).</param>
/// <param name="Attempts">How many earlier attempts crashed their workers.</param>
/// <param name="Abandoned">Nobody wants its results any more.</param>
internal readonly record struct HeldChunk(long Id, int Attempts, bool Abandoned);

/// <summary>What the executor knew, under its lock, when a worker was lost.</summary>
internal readonly record struct LossInputs
{
    /// <summary>Why the worker was going, as recorded when that was decided (<see cref="WorkerExit.Crashed"/> if nothing was).</summary>
    public WorkerExit Recorded { get; init; }

    /// <summary>Its state when it was lost.</summary>
    public WorkerState State { get; init; }

    /// <summary>The chunks it held, by id.</summary>
    public IReadOnlyList<HeldChunk> Held { get; init; }

    /// <summary>The chunk its status slot says it was running (0: between chunks).</summary>
    public long RunningChunk { get; init; }

    /// <summary>The chunk the watchdog killed it for (0: none).</summary>
    public long TimedOutChunk { get; init; }

    public bool PoolTerminated { get; init; }

    public bool PoolBroken { get; init; }

    public bool PoolClosed { get; init; }

    /// <summary>Chunks queued before this loss's are put back.</summary>
    public int Pending { get; init; }

    /// <summary>Workers counting toward the target without this one.</summary>
    public int LiveWorkers { get; init; }

    public int Target { get; init; }

    /// <summary>Workers in a row that died before they were ready, before this one.</summary>
    public int StartFailuresInRow { get; init; }

    public int MaxInitializerFailures { get; init; }

    public int MaxRetries { get; init; }
}

/// <summary>
/// The response to a lost worker: which of its chunks fail (and whether with a timeout's error or a crash's), which
/// go back to the front of the queue, whether it is replaced, whether the pool breaks. Computed by
/// <see cref="Decide"/>, a pure function the executor calls under its lock; the executor acts on it after the lock.
/// </summary>
internal sealed record LossDecision
{
    /// <summary>Why the worker went, all things considered.</summary>
    public required WorkerExit Exit { get; init; }

    /// <summary>The chunk blamed for the loss, if one was (null when it held none, or the pool had ended).</summary>
    public long? Culprit { get; init; }

    /// <summary>The culprit goes back to the queue for another attempt (MaxRetries) instead of failing.</summary>
    public bool RetryCulprit { get; init; }

    /// <summary>Chunks put back at the front of the queue, in this order.</summary>
    public IReadOnlyList<long> Requeue { get; init; } = [];

    /// <summary>Chunks failed; TimedOut: with the task timeout's error rather than the crash's.</summary>
    public IReadOnlyList<(long Id, bool TimedOut)> Fail { get; init; } = [];

    /// <summary>It died before it was ready: one more start failure in a row.</summary>
    public bool CountsAsStartFailure { get; init; }

    /// <summary>That start failure was one too many: the pool breaks.</summary>
    public bool BreaksPool { get; init; }

    /// <summary>A new worker is started in its place.</summary>
    public bool Replace { get; init; }

    /// <summary>The reason for the worker-exit metric and log.</summary>
    public string Reason => Exit switch
    {
        WorkerExit.Terminated => "terminate",
        WorkerExit.KilledForTimeout => "timeout",
        WorkerExit.KilledForCancellation => "cancel",
        WorkerExit.Retired or WorkerExit.RetiredForMemory or WorkerExit.Shrunk => "recycle",
        WorkerExit.Shutdown or WorkerExit.Unneeded or WorkerExit.InitializerFailed => "shutdown",
        _ => "crash",
    };

    public static LossDecision Decide(in LossInputs at)
    {
        // Told to exit (Stopping): the end is expected. A worker marked to retire that dies before it is told
        // to exit crashed; a kill decided by the pool holds whatever the state.
        bool expected = at.State == WorkerState.Stopping;
        WorkerExit exit = at.PoolTerminated ? WorkerExit.Terminated
            : at.Recorded >= WorkerExit.StartFailed || at.Recorded == WorkerExit.InitializerFailed ? at.Recorded
            : expected ? (at.Recorded == WorkerExit.Crashed ? WorkerExit.Shutdown : at.Recorded)
            : WorkerExit.Crashed;

        long? culprit = null;
        bool retry = false;
        List<long> requeue = [];
        List<(long, bool)> fail = [];
        if (at.Held.Count > 0 && !at.PoolTerminated && !at.PoolBroken)
        {
            // Only the chunk the worker was running (the oldest if it was between chunks) is to blame. The others
            // either never started or finished with their results unsent: they go back for another worker.
            HeldChunk blamed = at.Held[0];
            foreach (var c in at.Held)
            {
                if (c.Id == at.RunningChunk)
                {
                    blamed = c;
                    break;
                }
            }

            culprit = blamed.Id;
            retry = at.TimedOutChunk != blamed.Id && !blamed.Abandoned && blamed.Attempts < at.MaxRetries;
            foreach (var c in at.Held)
            {
                if ((retry || c.Id != blamed.Id) && !c.Abandoned)
                {
                    requeue.Add(c.Id);
                }
            }

            if (!retry)
            {
                fail.Add((blamed.Id, at.TimedOutChunk == blamed.Id));
            }
        }
        else
        {
            // The pool has ended: nothing is put back; what it held fails (a terminated pool's were failed already).
            foreach (var c in at.Held)
            {
                fail.Add((c.Id, at.TimedOutChunk == c.Id));
            }
        }

        // A worker that dies before it is ready counts toward breaking the pool: a pool whose workers cannot
        // start must not respawn them forever. Unlike an initializer that throws, one death is not proof (it may
        // have been killed from outside), so it takes MaxInitializerFailures in a row.
        bool startFailure = at.State == WorkerState.Starting && !at.PoolTerminated;
        bool breaks = startFailure && at.StartFailuresInRow + 1 >= at.MaxInitializerFailures;
        bool poolGoesOn = !at.PoolTerminated && !at.PoolBroken && !breaks;

        // An initializer failure is replaced whatever the target (the initializer's own check decides when to
        // give up); an expected end is not; a crash is while work is left and the pool is below its target.
        bool replace = poolGoesOn && (exit == WorkerExit.InitializerFailed
            || (!expected && (!at.PoolClosed || at.Pending + requeue.Count > 0 || fail.Count > 0) && at.LiveWorkers < at.Target));

        return new LossDecision
        {
            Exit = exit,
            Culprit = culprit,
            RetryCulprit = retry,
            Requeue = requeue,
            Fail = fail,
            CountsAsStartFailure = startFailure,
            BreaksPool = breaks,
            Replace = replace,
        };
    }
}
