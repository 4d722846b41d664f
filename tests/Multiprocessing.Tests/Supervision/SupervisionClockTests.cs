using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Supervision;

/// <summary>
/// The parent's supervision timers run on the pool's clock: these tests move a fake clock instead of waiting for
/// a real one, with real worker processes. A timer on the real clock would fail them (an hour's grace never ends).
/// </summary>
public sealed class SupervisionClockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public void CancellationGracePeriod_FakeClockMovedPastIt_KillsTheTaskIgnoringItsToken()
    {
        var clock = new FakeTimeProvider();
        using var gate = new Gate();
        using var pool = new Pool(new PoolOptions { Processes = 1, CancellationGracePeriod = Long, TimeProvider = clock });
        var (worker, running) = StartGatedTask(pool, gate);
        using (worker)
        {
            running.Cancel();
            Assert.Throws<OperationCanceledException>(() => running.Get(Timeout));

            // The grace has not passed on the pool's clock: the worker still runs the task.
            Assert.False(worker.HasExited);

            clock.Advance(Long);
            AssertKilledAndReplaced(pool, worker, gate);
        }
    }

    [Fact]
    public void TaskTimeout_FakeClockMovedPastIt_KillsTheWorkerAndFailsTheTask()
    {
        var clock = new FakeTimeProvider();
        using var gate = new Gate();
        using var pool = new Pool(new PoolOptions { Processes = 1, TaskTimeout = Long, TimeProvider = clock });
        var (worker, running) = StartGatedTask(pool, gate);
        using (worker)
        {
            // The watchdog's ticks run inside Advance, at the time advanced to: the first sees the task start, and
            // the task has run a minute less than its limit by the second.
            clock.Advance(TimeSpan.FromMinutes(1));
            clock.Advance(Long - TimeSpan.FromMinutes(1));
            Assert.False(worker.HasExited);
            Assert.False(running.IsReady);

            // The limit passes on the pool's clock (the real one moved only seconds): the worker is killed for it.
            clock.Advance(TimeSpan.FromMinutes(2));
            var error = Assert.Throws<TaskTimeoutException>(() => running.Get(Timeout));
            Assert.Equal(Long, error.Timeout);
            AssertKilledAndReplaced(pool, worker, gate);
        }
    }

    /// <summary>Starts a task that runs until its gate opens (ignoring cancellation) on the pool's one worker.</summary>
    private static (Process Worker, AsyncResult<int> Running) StartGatedTask(Pool pool, Gate gate)
    {
        int pid = pool.Apply(Tasks.WorkerPid, 0);
        var running = pool.ApplyAsync(CancelTasks.IgnoreCancellation, gate.Path, CancellationToken.None);
        Assert.True(Gate.WaitOpen(gate.Path + ".started", Timeout), "the task never started");
        return (Process.GetProcessById(pid), running);
    }

    private static void AssertKilledAndReplaced(Pool pool, Process worker, Gate gate)
    {
        Assert.True(worker.WaitForExit(Timeout), "the worker was not killed when the pool's clock passed the limit");
        Assert.NotEqual(worker.Id, pool.Apply(Tasks.WorkerPid, 0));
        File.Delete(gate.Path + ".started");
    }

    [Fact]
    public void WorkerStartTimeout_FakeClockMovedPastIt_KillsTheStuckWorkerAndBreaksThePool()
    {
        var clock = new FakeTimeProvider();
        using var gate = new Gate();
        using var pool = new Pool(new PoolOptions
        {
            Processes = 1,
            Initializer = ClockTasks.WaitForGate,
            InitArgs = [gate.Path],
            WorkerStartTimeout = Long,
            MaxInitializerFailures = 1,
            TimeProvider = clock,
        });
        var queued = pool.ApplyAsync(Tasks.Square, 3);
        Assert.True(Gate.WaitOpen(gate.Path + ".initializing", Timeout), "the initializer never started");
        Assert.False(queued.IsReady);

        clock.Advance(Long);
        var error = Assert.Throws<BrokenPoolException>(() => queued.Get(Timeout));
        Assert.Contains("before it was ready", error.Message, StringComparison.Ordinal);
        File.Delete(gate.Path + ".initializing");
    }
}

/// <summary>Tasks for <see cref="SupervisionClockTests"/>.</summary>
public static class ClockTasks
{
    /// <summary>An initializer that says it started, then waits (bounded) for its gate.</summary>
    public static void WaitForGate(string gate)
    {
        File.WriteAllText(gate + ".initializing", "waiting");
        Gate.WaitOpen(gate, Tasks.GateTimeout);
    }
}
