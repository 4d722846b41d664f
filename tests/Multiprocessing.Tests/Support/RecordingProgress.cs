namespace Multiprocessing.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that records every report synchronously and lets a test wait for one.</summary>
public sealed class RecordingProgress : IProgress<PoolProgress>
{
    private readonly List<PoolProgress> _reports = [];

    public int Count
    {
        get
        {
            lock (_reports)
            {
                return _reports.Count;
            }
        }
    }

    public void Report(PoolProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
            Monitor.PulseAll(_reports);
        }
    }

    public PoolProgress WaitFor(Func<PoolProgress, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_reports)
        {
            while (true)
            {
                var match = _reports.LastOrDefault(condition);
                if (match is not null)
                {
                    return match;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_reports, left))
                {
                    throw new TimeoutException($"no matching progress report among {_reports.Count}");
                }
            }
        }
    }
}
