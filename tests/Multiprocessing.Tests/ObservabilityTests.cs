using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

/// <summary>
/// Metrics, traces and logs. The meter and activity source are process-wide, so these run alone (in the
/// non-parallel collection) to count only their own pool's work.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ObservabilityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Meter_MapOnPool_CountsTasksDurationsAndWorkerStarts()
    {
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Multiprocessing")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => totals.AddOrUpdate(i.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => totals.AddOrUpdate(i.Name, 1, (_, v) => v + 1));
        listener.Start();

        using (var pool = new Pool(2))
        {
            pool.Map(Tasks.Square, Enumerable.Range(0, 100), 10);
            Assert.Throws<KeyNotFoundException>(() => pool.Apply(Tasks.Throw, "x"));
            listener.RecordObservableInstruments();
        }

        Assert.Equal(101, totals.GetValueOrDefault("multiprocessing.tasks.submitted"));
        Assert.Equal(100, totals.GetValueOrDefault("multiprocessing.tasks.completed"));
        Assert.Equal(1, totals.GetValueOrDefault("multiprocessing.tasks.failed"));
        Assert.True(totals.GetValueOrDefault("multiprocessing.task.duration") >= 10, "one duration per chunk");
        Assert.Equal(2, totals.GetValueOrDefault("multiprocessing.worker.starts"));
        Assert.True(totals.ContainsKey("multiprocessing.queue.length"));
    }

    [Fact]
    public void ActivitySource_Map_WorkerSpansAreChildrenOfTheCallSpan()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Multiprocessing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => stopped.Enqueue(a),
        };
        ActivitySource.AddActivityListener(listener);

        using var pool = new Pool(2);
        using var outer = new ActivitySource("Multiprocessing.Tests").StartActivity("test");
        pool.Map(Tasks.Square, Enumerable.Range(0, 40), 10);
        Assert.True(SpinWait.SpinUntil(() => stopped.Any(a => a.OperationName == "Multiprocessing.Map"), Timeout));
        var map = stopped.Single(a => a.OperationName == "Multiprocessing.Map");
        var chunks = stopped.Where(a => a.OperationName == "Multiprocessing.RunChunk" && a.ParentSpanId == map.SpanId).ToList();
        Assert.Equal(4, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(map.TraceId, c.TraceId));
        Assert.All(chunks, c => Assert.NotEqual(Environment.ProcessId, (int)c.GetTagItem("multiprocessing.worker.pid")!));
        Assert.Equal(40L, map.GetTagItem("multiprocessing.items"));
    }

    [Fact]
    public void ActivitySource_TracedCall_TaskInWorkerRunsUnderTheCallsTrace()
    {
        var maps = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Multiprocessing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == "Multiprocessing.Map")
                {
                    maps.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var pool = new Pool(1);
        var traceIds = pool.Map(TraceTasks.CurrentTraceId, Enumerable.Range(0, 4), 2);
        Assert.True(SpinWait.SpinUntil(() => !maps.IsEmpty, Timeout));
        Assert.All(traceIds, id => Assert.Equal(maps.Single().TraceId.ToString(), id));
    }

    [Fact]
    public void Logger_WorkerCrash_LogsStartsExitAndCrashWithFields()
    {
        var logger = new RecordingLogger();
        using (var pool = new Pool(new PoolOptions { Processes = 1, Logger = logger }))
        {
            Assert.Throws<WorkerCrashedException>(() => pool.Apply(CrashTasks.FailFast, 0));
            Assert.Equal(1, pool.Apply(Tasks.Identity, 1));
            var failed = pool.ApplyAsync(Tasks.Square, 2, callback: _ => throw new InvalidOperationException("cb"));
            failed.Get(Timeout);
            pool.Close();
            Assert.True(pool.Join(Timeout));
        }

        Assert.Contains(logger.Entries, e => e.EventId.Name == "WorkerStarted");
        var crash = Assert.Single(logger.Entries, e => e.EventId.Name == "WorkerCrashed");
        Assert.Equal(LogLevel.Warning, crash.Level);
        Assert.Equal("FailFast", ((string)crash.Fields["Function"]!).Split('.')[^1]);
        Assert.Contains(logger.Entries, e => e.EventId.Name == "WorkerExited" && (string?)e.Fields["Reason"] == "crash");
        Assert.Contains(logger.Entries, e => e.EventId.Name == "CallbackFailed");
    }
}

public sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, Dictionary<string, object?> Fields, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
        Entries.Enqueue((logLevel, eventId, fields, formatter(state, exception)));
    }
}
