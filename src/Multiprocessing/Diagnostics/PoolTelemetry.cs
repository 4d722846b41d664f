using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Multiprocessing.Diagnostics;

/// <summary>
/// The pool's metrics (meter <c>Multiprocessing</c>) and traces (activity source <c>Multiprocessing</c>).
/// Instruments cost a flag check when nobody listens; the gauges are observed only when read.
/// <c>dotnet-counters monitor --counters Multiprocessing</c> shows them live.
/// </summary>
internal static class PoolTelemetry
{
    public const string Name = "Multiprocessing";

    public static readonly ActivitySource Source = new(Name, typeof(PoolTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Meter s_meter = new(Name, typeof(PoolTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly List<WeakReference<PoolBase>> s_pools = [];

    public static readonly Counter<long> TasksSubmitted = s_meter.CreateCounter<long>("multiprocessing.tasks.submitted", "{task}", "Tasks issued to pools.");

    public static readonly Counter<long> TasksCompleted = s_meter.CreateCounter<long>("multiprocessing.tasks.completed", "{task}", "Tasks that returned a result.");

    public static readonly Counter<long> TasksFailed = s_meter.CreateCounter<long>("multiprocessing.tasks.failed", "{task}", "Tasks that threw, crashed, timed out or were cancelled.");

    public static readonly Histogram<double> TaskDuration = s_meter.CreateHistogram<double>("multiprocessing.task.duration", "s", "Time a task ran in its worker (the mean over its chunk, recorded once per chunk).");

    public static readonly Counter<long> WorkerStarts = s_meter.CreateCounter<long>("multiprocessing.worker.starts", "{worker}", "Worker processes or threads started.");

    public static readonly Counter<long> WorkerExits = s_meter.CreateCounter<long>("multiprocessing.worker.exits", "{worker}", "Workers that ended, by reason (shutdown, recycle, crash, timeout, cancel, terminate).");

    static PoolTelemetry()
    {
        s_meter.CreateObservableGauge("multiprocessing.queue.length", () => Observe(p => p.QueuedChunks), "{chunk}", "Chunks waiting for a worker.");
        s_meter.CreateObservableGauge("multiprocessing.tasks.in_flight", () => Observe(p => p.InFlightChunks), "{chunk}", "Chunks sent to a worker and not yet settled.");
    }

    /// <summary>Runs the static setup now (on a thread that has time for it), not at the first use.</summary>
    public static void EnsureInitialized() => GC.KeepAlive(s_meter);

    public static void Register(PoolBase pool)
    {
        lock (s_pools)
        {
            s_pools.RemoveAll(w => !w.TryGetTarget(out _));
            s_pools.Add(new WeakReference<PoolBase>(pool));
        }
    }

    public static void Settled(int completed, int failed)
    {
        if (completed > 0)
        {
            TasksCompleted.Add(completed);
        }

        if (failed > 0)
        {
            TasksFailed.Add(failed);
        }
    }

    public static void WorkerExited(string reason) => WorkerExits.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static long Observe(Func<PoolBase, long> read)
    {
        long sum = 0;
        lock (s_pools)
        {
            foreach (var w in s_pools)
            {
                if (w.TryGetTarget(out var pool))
                {
                    sum += read(pool);
                }
            }
        }

        return sum;
    }
}
