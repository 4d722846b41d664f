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
        var (clock, sink, reporter) = Create(total: 100);

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
        var (clock, sink, reporter) = Create(total: 3);

        reporter.OnItems(1, 0);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        reporter.OnItems(2, 0);
        reporter.Final();

        Assert.Equal(2, sink.Count);
        Assert.Equal(new PoolProgress(3, 0, 3, TimeSpan.FromMilliseconds(10)), sink.WaitFor(_ => true, TimeSpan.Zero));
    }

    [Fact]
    public void Final_SinkThrows_HandsTheExceptionToTheFailureHandlerInsteadOfThrowing()
    {
        var thrown = new FormatException("sink");
        Exception? reported = null;
        var reporter = new ProgressReporter(new ThrowingProgress(thrown), 1, new FakeTimeProvider(), ex => reported = ex);

        reporter.OnItems(1, 0);

        Assert.Same(thrown, reported);
    }

    private sealed class ThrowingProgress(Exception error) : IProgress<PoolProgress>
    {
        public void Report(PoolProgress value) => throw error;
    }

    private static (FakeTimeProvider Clock, RecordingProgress Sink, ProgressReporter Reporter) Create(long total)
    {
        var clock = new FakeTimeProvider();
        var sink = new RecordingProgress();
        return (clock, sink, new ProgressReporter(sink, total, clock, static ex => throw new InvalidOperationException("the sink threw", ex)));
    }
}
