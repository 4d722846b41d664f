using Microsoft.Extensions.Time.Testing;
using Multiprocessing.Jobs;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Jobs;

/// <summary>The progress reporter's throttle and elapsed time run on the pool's clock: the tests move a fake one.</summary>
public sealed class ProgressReporterTests
{
    [Fact]
    public void OnItems_ClockStill_ReportsOnceUntilTheIntervalPasses()
    {
        var clock = new FakeTimeProvider();
        var sink = new RecordingProgress();
        var reporter = new ProgressReporter(sink, 100, clock);

        reporter.OnItems(1, 0);
        reporter.OnItems(1, 0);
        reporter.OnItems(0, 1);
        Assert.Equal(1, sink.Count);

        clock.Advance(TimeSpan.FromMilliseconds(99));
        reporter.OnItems(1, 0);
        Assert.Equal(1, sink.Count);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        reporter.OnItems(1, 0);
        Assert.Equal(2, sink.Count);
        var report = sink.WaitFor(_ => true, TimeSpan.Zero);
        Assert.Equal(new PoolProgress(4, 1, 100, TimeSpan.FromMilliseconds(100)), report);
    }

    [Fact]
    public void OnItems_LastItemSettles_SendsTheFinalReportInsideTheInterval()
    {
        var clock = new FakeTimeProvider();
        var sink = new RecordingProgress();
        var reporter = new ProgressReporter(sink, 3, clock);

        reporter.OnItems(1, 0);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        reporter.OnItems(2, 0);
        reporter.Final();

        Assert.Equal(2, sink.Count);
        Assert.Equal(new PoolProgress(3, 0, 3, TimeSpan.FromMilliseconds(10)), sink.WaitFor(_ => true, TimeSpan.Zero));
    }
}
