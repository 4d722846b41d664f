using Multiprocessing.Jobs;

namespace Multiprocessing.Dispatch;

/// <summary>
/// What the finalizer of a pool dropped without Dispose does: warn (Python's ResourceWarning), terminate the
/// workers, and join them off the finalizer thread. Reached only when nothing can still need the pool: the
/// executor holds it weakly and every queued job holds it strongly.
/// </summary>
internal static class UndisposedPool
{
    public static void Finalized(PoolBase pool, string kind)
    {
        // A constructor that threw (bad options, no workers) left nothing running, and maybe no executor.
        if ((pool.Executor as Executor) is not { } executor)
        {
            return;
        }

        if (pool.IsRunning)
        {
            try
            {
                Diagnostics.PoolLog.PoolNotDisposed(pool.Options.EffectiveLogger, kind, executor.Processes);
                if (pool.Options.Logger is null)
                {
                    Console.Error.WriteLine($"Multiprocessing: a {kind} with {executor.Processes} worker(s) was garbage-collected without Dispose(); its workers are terminated.");
                }
            }
#pragma warning disable CA1031 // An exception on the finalizer thread ends the process; a failing logger must not.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        executor.Terminate(new PoolTerminatedException($"The {kind} was garbage-collected without Dispose()."));
        (pool.Callbacks as CallbackQueue)?.Dispose();

        // The workers' directory goes once they have exited; not on the finalizer thread, which must not wait.
        ThreadPool.UnsafeQueueUserWorkItem(static e => e.Join(TimeSpan.FromSeconds(30)), executor, preferLocal: false);
    }
}
