namespace Multiprocessing.Workers;

/// <summary>
/// Why a worker process is going, recorded under the executor's lock where its end is decided (not guessed from
/// flags afterwards). Ordered by precedence: a later decision replaces an earlier one only when it ranks higher,
/// so a retiring worker killed for a task timeout went for the timeout, and a terminated pool's workers went
/// for the terminate. A worker that goes with nothing recorded crashed.
/// </summary>
internal enum WorkerExit
{
    /// <summary>Nothing decided its end: it died (a crash, a kill from outside, a corrupt stream).</summary>
    Crashed,

    /// <summary>Told to exit: the pool is closed and has nothing left for it.</summary>
    Shutdown,

    /// <summary>A starting worker killed because <c>Resize</c> no longer needs it.</summary>
    Unneeded,

    /// <summary>Its initializer threw; it was told to exit.</summary>
    InitializerFailed,

    /// <summary>Ran its <c>MaxTasksPerChild</c>.</summary>
    Retired,

    /// <summary>Went past <c>MaxMemoryPerChild</c>.</summary>
    RetiredForMemory,

    /// <summary>Retired by <c>Resize</c> shrinking the pool.</summary>
    Shrunk,

    /// <summary>The operating system refused to start it.</summary>
    StartFailed,

    /// <summary>Killed: it was not ready within <c>WorkerStartTimeout</c>.</summary>
    StartTimedOut,

    /// <summary>Killed: a cancelled task ignored its token past <c>CancellationGracePeriod</c>.</summary>
    KilledForCancellation,

    /// <summary>Killed by the watchdog: a task ran past its timeout.</summary>
    KilledForTimeout,

    /// <summary>Killed by <c>Terminate</c>.</summary>
    Terminated,
}
