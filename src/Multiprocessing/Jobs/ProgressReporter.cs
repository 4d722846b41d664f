namespace Multiprocessing.Jobs;

/// <summary>
/// Counts a call's settled items and reports to its sink at a bounded rate (every 100 ms at most, plus a
/// final report). Called from reader threads; counters are <see cref="Interlocked"/>, and only the thread
/// that wins the time slot reports. Time is the pool's clock, so tests can move it. The sink is user code on a
/// pool thread: what it throws goes to <paramref name="onFailure"/> (the pool's CallbackFailed), never up that thread.
/// </summary>
internal sealed class ProgressReporter(IProgress<PoolProgress> sink, long? total, TimeProvider time, Action<Exception> onFailure)
{
    private readonly long _interval = time.TimestampFrequency / 10;
    private readonly long _started = time.GetTimestamp();
    private long _completed;
    private long _failed;
    private long _total = total ?? -1;
    private long _nextReport;
    private int _finalSent;

    public void OnItems(int completed, int failed)
    {
        long done = Interlocked.Add(ref _completed, completed) + Interlocked.Add(ref _failed, failed);
        long total = Volatile.Read(ref _total);
        if (total >= 0 && done >= total)
        {
            Final();
            return;
        }

        long now = time.GetTimestamp();
        long next = Volatile.Read(ref _nextReport);
        if (now >= next && Interlocked.CompareExchange(ref _nextReport, now + _interval, next) == next)
        {
            Report();
        }
    }

    public void SetTotal(long total)
    {
        Volatile.Write(ref _total, total);
        if (Volatile.Read(ref _completed) + Volatile.Read(ref _failed) >= total)
        {
            Final();
        }
    }

    /// <summary>The last report, once: the call ended (all settled, failed fast, or cancelled).</summary>
    public void Final()
    {
        if (Interlocked.Exchange(ref _finalSent, 1) == 0)
        {
            Report();
        }
    }

    private void Report()
    {
        try
        {
            sink.Report(Snapshot());
        }
#pragma warning disable CA1031 // A sink may throw anything; it is reported, never rethrown on a reader thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            onFailure(ex);
        }
    }

    private PoolProgress Snapshot()
    {
        long total = Volatile.Read(ref _total);
        return new PoolProgress(Volatile.Read(ref _completed), Volatile.Read(ref _failed), total >= 0 ? total : null, time.GetElapsedTime(_started));
    }
}
