using Multiprocessing.Workers;

namespace Multiprocessing.Tests.Supervision;

/// <summary>The response to a lost worker, decided without a process: one row per situation.</summary>
public sealed class LossDecisionTests
{
    /// <summary>A running pool of two workers (one left), the lost one Ready and holding chunks 1, 2, 3, running 2.</summary>
    private static readonly LossInputs s_running = new()
    {
        Recorded = WorkerExit.Crashed,
        State = WorkerState.Ready,
        Held = [new HeldChunk(1, 0, false), new HeldChunk(2, 0, false), new HeldChunk(3, 0, false)],
        RunningChunk = 2,
        LiveWorkers = 1,
        Target = 2,
        MaxInitializerFailures = 3,
    };

    private static readonly LossInputs s_starting = s_running with { State = WorkerState.Starting, Held = [], RunningChunk = 0 };

    public static TheoryData<string> Cases => [.. s_cases.Keys];

    private static readonly Dictionary<string, (LossInputs Inputs, Expected Expected)> s_cases = new()
    {
        ["crash while running: the running chunk fails, the others go back"] =
            (s_running, new(WorkerExit.Crashed, "crash", Culprit: 2, Fail: [(2, false)], Requeue: [1, 3], Replace: true)),
        ["crash between chunks: the oldest is blamed"] =
            (s_running with { RunningChunk = 0 }, new(WorkerExit.Crashed, "crash", Culprit: 1, Fail: [(1, false)], Requeue: [2, 3], Replace: true)),
        ["crash with a retry left: the culprit goes back too, first in its place"] =
            (s_running with { MaxRetries = 1 }, new(WorkerExit.Crashed, "crash", Culprit: 2, Retry: true, Requeue: [1, 2, 3], Replace: true)),
        ["crash with retries used up: the culprit fails"] =
            (s_running with { MaxRetries = 1, Held = [new HeldChunk(2, 1, false)] }, new(WorkerExit.Crashed, "crash", Culprit: 2, Fail: [(2, false)], Replace: true)),
        ["abandoned chunks are neither retried nor put back"] =
            (s_running with { MaxRetries = 5, Held = [new HeldChunk(1, 0, true), new HeldChunk(2, 0, true), new HeldChunk(3, 0, false)] },
                new(WorkerExit.Crashed, "crash", Culprit: 2, Fail: [(2, false)], Requeue: [3], Replace: true)),
        ["task timeout: the timed-out chunk fails with the timeout's error, never retried"] =
            (s_running with { Recorded = WorkerExit.KilledForTimeout, TimedOutChunk = 2, MaxRetries = 3 },
                new(WorkerExit.KilledForTimeout, "timeout", Culprit: 2, Fail: [(2, true)], Requeue: [1, 3], Replace: true)),
        ["cancelled task ignoring its token: killed, its (abandoned) chunk fails"] =
            (s_running with { Recorded = WorkerExit.KilledForCancellation, Held = [new HeldChunk(2, 0, true)] },
                new(WorkerExit.KilledForCancellation, "cancel", Culprit: 2, Fail: [(2, false)], Replace: true)),
        ["terminated pool: nothing is put back or replaced"] =
            (s_running with { PoolTerminated = true, State = WorkerState.Stopping, Held = [] }, new(WorkerExit.Terminated, "terminate")),
        ["broken pool: what it held fails, nothing is replaced"] =
            (s_running with { PoolBroken = true }, new(WorkerExit.Crashed, "crash", Fail: [(1, false), (2, false), (3, false)])),
        ["closed pool, told to exit with nothing left: an expected end"] =
            (s_running with { PoolClosed = true, State = WorkerState.Stopping, Recorded = WorkerExit.Shutdown, Held = [] }, new(WorkerExit.Shutdown, "shutdown")),
        ["retired by MaxTasksPerChild and told to exit: recycled, not replaced here"] =
            (s_running with { State = WorkerState.Stopping, Recorded = WorkerExit.Retired, Held = [] }, new(WorkerExit.Retired, "recycle")),
        ["marked to retire but died before it was told to exit: a crash"] =
            (s_running with { State = WorkerState.Retiring, Recorded = WorkerExit.Retired }, new(WorkerExit.Crashed, "crash", Culprit: 2, Fail: [(2, false)], Requeue: [1, 3], Replace: true)),
        ["crash at the target size (after a shrink): not replaced"] =
            (s_running with { Target = 1 }, new(WorkerExit.Crashed, "crash", Culprit: 2, Fail: [(2, false)], Requeue: [1, 3])),
        ["idle crash in a closed pool with nothing queued: not replaced"] =
            (s_running with { PoolClosed = true, Held = [] }, new(WorkerExit.Crashed, "crash")),
        ["idle crash in a closed pool with work queued: replaced"] =
            (s_running with { PoolClosed = true, Held = [], Pending = 4 }, new(WorkerExit.Crashed, "crash", Replace: true)),
        ["start timed out: one start failure, replaced"] =
            (s_starting with { Recorded = WorkerExit.StartTimedOut }, new(WorkerExit.StartTimedOut, "crash", StartFailure: true, Replace: true)),
        ["died before ready, the last start failure allowed: the pool breaks"] =
            (s_starting with { StartFailuresInRow = 2 }, new(WorkerExit.Crashed, "crash", StartFailure: true, Breaks: true)),
        ["refused by the OS at start: a start failure"] =
            (s_starting with { Recorded = WorkerExit.StartFailed }, new(WorkerExit.StartFailed, "crash", StartFailure: true, Replace: true)),
        ["initializer failed: replaced even in a closed pool at its target"] =
            (s_starting with { State = WorkerState.Stopping, Recorded = WorkerExit.InitializerFailed, PoolClosed = true, Target = 1 },
                new(WorkerExit.InitializerFailed, "shutdown", Replace: true)),
        ["a starting worker Resize no longer needs: an expected end, not a start failure"] =
            (s_starting with { State = WorkerState.Stopping, Recorded = WorkerExit.Unneeded, Target = 1 }, new(WorkerExit.Unneeded, "shutdown")),
        ["a starting worker lost as the pool is terminated: no start failure"] =
            (s_starting with { PoolTerminated = true }, new(WorkerExit.Terminated, "terminate")),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_Situation_GivesTheResponse(string situation)
    {
        var (inputs, expected) = s_cases[situation];
        var decision = LossDecision.Decide(inputs);
        Assert.Equal(expected.Exit, decision.Exit);
        Assert.Equal(expected.Reason, decision.Reason);
        Assert.Equal(expected.Culprit, decision.Culprit);
        Assert.Equal(expected.Retry, decision.RetryCulprit);
        Assert.Equal(expected.Fail ?? [], decision.Fail);
        Assert.Equal(expected.Requeue ?? [], decision.Requeue);
        Assert.Equal(expected.StartFailure, decision.CountsAsStartFailure);
        Assert.Equal(expected.Breaks, decision.BreaksPool);
        Assert.Equal(expected.Replace, decision.Replace);
    }

    [Fact]
    public void WorkerExit_KillsOutrankPlannedEnds_TerminateOutranksAll()
    {
        // WorkerProcess.RecordExit keeps the higher of two reasons: the order of the enum is the precedence.
        Assert.True(WorkerExit.Terminated > WorkerExit.KilledForTimeout);
        Assert.True(WorkerExit.KilledForTimeout > WorkerExit.KilledForCancellation);
        Assert.True(WorkerExit.KilledForCancellation > WorkerExit.Retired);
        Assert.True(WorkerExit.Retired > WorkerExit.Shutdown);
        Assert.True(WorkerExit.Shutdown > WorkerExit.Crashed);
    }

    private sealed record Expected(
        WorkerExit Exit,
        string Reason,
        long? Culprit = null,
        bool Retry = false,
        (long, bool)[]? Fail = null,
        long[]? Requeue = null,
        bool StartFailure = false,
        bool Breaks = false,
        bool Replace = false);
}
