using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Multiprocessing.Diagnostics;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Jobs;

namespace Multiprocessing.Workers;

/// <content>Worker lifecycle: start, readiness, recycling, timeouts, loss and blame.</content>
internal sealed partial class ProcessExecutor
{
    /// <summary>
    /// The task timeout: a worker whose current task started too long ago is killed. Reading the status
    /// slot costs nothing in the worker, and killing the process is the only way to stop a task that
    /// never yields (a tight loop, native code). The time a task has run is the pool's clock since the watchdog
    /// first saw its start stamp, backdated by the stamp's age on the tick count both processes share, so the
    /// limit is kept to the tick as before and a test can move the clock.
    /// </summary>
    private void KillOverdueWorkers()
    {
        List<WorkerProcess> overdue = [];
        List<(string Function, TimeSpan Limit, int Worker, int Pid)> timedOut = [];
        lock (_gate)
        {
            AssertInvariants();
            long now = _time.GetTimestamp();
            foreach (var w in _workers)
            {
                if (w.State is WorkerState.Ready or WorkerState.Retiring && w.InFlight.Count > 0 && w.TimedOutChunk == 0)
                {
                    long running = w.Status.RunningChunk;
                    if (running != 0 && w.InFlight.TryGetValue(running, out var chunk) && (chunk.TimeoutOverride ?? _options.TaskTimeout) is { } limit
                        && RunningFor(w, running, now, limit) > limit)
                    {
                        w.TimedOutChunk = running;
                        w.RecordExit(WorkerExit.KilledForTimeout);
                        overdue.Add(w);
                        timedOut.Add((chunk.Descriptor.DisplayName, limit, w.Index, w.ProcessId));
                    }
                }
            }
        }

        // The application's logger runs after the lock, never under it.
        foreach (var (function, limit, index, pid) in timedOut)
        {
            PoolLog.TaskTimedOut(Logger, function, limit, index, pid);
        }

        foreach (var w in overdue)
        {
            w.Kill();
        }
    }

    /// <summary>Under the lock: how long the worker's current task has run, by the pool's clock.</summary>
    private TimeSpan RunningFor(WorkerProcess w, long running, long now, TimeSpan limit)
    {
        long stamp = w.Status.StartedAt;
        if (w.WatchedTask.Chunk != running || w.WatchedTask.Stamp != stamp)
        {
            // A task not seen before (a new chunk, or the worker restamped for its next item).
            long ageMs = Math.Clamp(Environment.TickCount64 - stamp, 0, (long)limit.TotalMilliseconds);
            w.WatchedTask = (running, stamp, now - (ageMs * _time.TimestampFrequency / 1000));
        }

        return _time.GetElapsedTime(w.WatchedTask.StartedAt, now);
    }

    /// <summary>
    /// How many workers may be starting (launched, not yet ready) at once: a runtime's start is mostly CPU, so more
    /// at once only compete, and a pool of hundreds must not launch them all before the first one works.
    /// </summary>
    internal static int MaxConcurrentStarts => Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Launched workers not yet ready (for tests and diagnostics).</summary>
    internal int StartingWorkers
    {
        get
        {
            lock (_gate)
            {
                AssertInvariants();
                return _starting;
            }
        }
    }

    /// <summary>Workers launched and not yet gone (for tests and diagnostics).</summary>
    internal int LaunchedWorkers
    {
        get
        {
            lock (_gate)
            {
                AssertInvariants();
                return _workers.Count;
            }
        }
    }

    /// <param name="throwIfCannot">Throw when the worker cannot be launched (the constructor), rather than treat it as lost.</param>
    /// <param name="whileBelowTarget">Only if the pool is still below its target: Resize's starts run after the pool's
    /// lock, so two calls at once must not both start the same workers.</param>
    private void StartWorker(bool throwIfCannot, bool whileBelowTarget = false)
    {
        lock (_gate)
        {
            AssertInvariants();
            if (_terminated)
            {
                return;
            }

            if (whileBelowTarget && LiveWorkers() + _starting - _workers.Count(w => w.HoldsStartSlot) >= _target)
            {
                return;
            }

            if (_starting >= MaxConcurrentStarts)
            {
                // Started when a starting worker becomes ready or is lost (ReleaseStartSlot).
                _deferredStarts++;
                return;
            }

            _starting++;
        }

        int index = Interlocked.Increment(ref _nextWorkerIndex) - 1;
        string statusPath = Path.Combine(_listener.Directory, "w" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = _launcher.StartInfo(_listener.SocketPath, index, WorkerListener.NewToken(), statusPath), EnableRaisingEvents = true };
        WorkerStatusSlot status;
        try
        {
            status = WorkerStatusSlot.Create(statusPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The pool's directory is gone: the pool was shut down while this replacement was decided.
            process.Dispose();
            lock (_gate)
            {
                AssertInvariants();
                _starting--;
            }

            if (throwIfCannot)
            {
                throw new InvalidOperationException($"Cannot start a worker: {ex.Message}", ex);
            }

            return;
        }

        WorkerEnvironment.ApplyRuntimeDefaults(process.StartInfo);
        string? bulkBase = _options.SharedMemory ? BulkChannel.NewBasePath(index) : null;
        if (bulkBase is not null)
        {
            RingBases.Enqueue(bulkBase);
            process.StartInfo.Environment[WorkerEnvironment.Bulk] = bulkBase;
        }

        var worker = new WorkerProcess(index, process, process.StartInfo.Environment[WorkerEnvironment.Token]!, status)
        {
            Bulk = bulkBase is null ? null : new BulkChannel(bulkBase, isParent: true),
            HoldsStartSlot = true,
        };
        lock (_gate)
        {
            AssertInvariants();
            if (_terminated)
            {
                ReleaseStartSlot(worker);
                worker.Dispose();
                return;
            }

            _workers.Add(worker);
        }

        _listener.Expect(worker);
        process.Exited += (_, _) => OnProcessExited(worker);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            var error = new InvalidOperationException(StartRefused(index, ex), ex);
            if (throwIfCannot)
            {
                lock (_gate)
                {
                    AssertInvariants();
                    _workers.Remove(worker);
                    ReleaseStartSlot(worker);
                }

                // Never launched, so never lost: nothing else releases its handles and ring names.
                _listener.Forget(worker);
                worker.Dispose();
                throw error;
            }

            lock (_gate)
            {
                AssertInvariants();
                worker.RecordExit(WorkerExit.StartFailed);
            }

            Lost(worker, error);
            return;
        }

        worker.ProcessId = process.Id;
        bool terminatedMeanwhile;
        lock (_gate)
        {
            AssertInvariants();
            terminatedMeanwhile = _terminated;
        }

        if (terminatedMeanwhile)
        {
            // Terminate ran between our check and the start, and could not kill a process not yet started.
            worker.Kill();
        }

        PoolTelemetry.WorkerStarts.Add(1);
        PoolLog.WorkerStarted(Logger, index, process.Id);
        string suffix = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        worker.OutputDrained = Task.WhenAll(
            ForwardLines(process.StandardOutput, worker, static (_, line) => Console.Out.WriteLine(line), "Multiprocessing stdout " + suffix),
            ForwardLines(process.StandardError, worker, static (w, line) =>
            {
                if (w.NoteStandardError(line))
                {
                    Console.Error.WriteLine(line);
                }
            }, "Multiprocessing stderr " + suffix));
        process.StandardInput.AutoFlush = true;

        // A worker that never connects (or never finishes its initializer) is killed: it cannot hang the pool.
        _ = DelayThen(_options.WorkerStartTimeout, () =>
        {
            bool stuck;
            lock (_gate)
            {
                AssertInvariants();
                stuck = worker.State == WorkerState.Starting;
                if (stuck)
                {
                    worker.RecordExit(WorkerExit.StartTimedOut);
                }
            }

            if (stuck)
            {
                Warn(logger => PoolLog.WorkerStartTimedOut(logger, worker.Index, _options.WorkerStartTimeout), $"{worker} did not start within {_options.WorkerStartTimeout}; killing it.");
                worker.Kill();
                Lost(worker, null);
            }
        });
    }

    /// <summary>Runs <paramref name="then"/> on the thread pool after <paramref name="delay"/> by the pool's clock.</summary>
    private Task DelayThen(TimeSpan delay, Action then) => Task.Delay(delay, _time).ContinueWith(
        _ => then(),
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    /// <summary>
    /// A supervision warning goes through the application's logger when it has one, and to the console only
    /// when nobody would see it otherwise.
    /// </summary>
    private void Warn(Action<Microsoft.Extensions.Logging.ILogger> log, string console)
    {
        if (_options.Logger is { } logger)
        {
            log(logger);
        }
        else
        {
            Console.Error.WriteLine("Multiprocessing: " + console);
        }
    }

    /// <summary>On the listener's handshake thread, which then goes on as this worker's reader until the connection ends.</summary>
    private void OnConnected(WorkerProcess worker, Socket socket, FrameReader reader)
    {
        worker.Attach(socket, reader);
        try
        {
            worker.SendInit(_initBody);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            worker.CloseSocket();
        }

        Thread.CurrentThread.Name = $"Multiprocessing reader {worker.Index}";
        ReadLoop(worker);
    }

    private void OnReady(WorkerProcess worker)
    {
        bool startNext;
        lock (_gate)
        {
            AssertInvariants();
            if (worker.State == WorkerState.Starting)
            {
                worker.State = WorkerState.Ready;
            }

            _everReady = true;
            _startFailuresInRow = 0;
            startNext = ReleaseStartSlot(worker);
        }

        if (startNext)
        {
            StartWorker(throwIfCannot: false);
        }
    }

    /// <summary>
    /// Under the lock: the worker is no longer starting. True when a deferred start should now be made (outside the
    /// lock); deferred starts are dropped once nothing needs them (terminated, broken, closed with nothing queued).
    /// </summary>
    private bool ReleaseStartSlot(WorkerProcess worker)
    {
        if (!worker.HoldsStartSlot)
        {
            return false;
        }

        worker.HoldsStartSlot = false;
        _starting--;
        if (_terminated || _broken is not null || (_closed && _pending.Count == 0))
        {
            _deferredStarts = 0;
        }

        if (_deferredStarts == 0)
        {
            return false;
        }

        _deferredStarts--;
        return true;
    }

    /// <summary>Why a worker could not be launched, with the limit that was probably hit.</summary>
    private string StartRefused(int index, Exception ex)
    {
        int live;
        lock (_gate)
        {
            AssertInvariants();
            live = _workers.Count(w => w.State != WorkerState.Dead);
        }

        return $"The operating system refused to start worker {index} ({_launcher.Description}) with {live} worker(s) already running (Processes = {Processes}): {ex.Message.TrimEnd('.')}." +
            ProcessLimitNote() + " Lower PoolOptions.Processes, or raise the limit.";
    }

    /// <summary>On Linux, the per-user process limit (ulimit -u), which is what refuses a fork most often.</summary>
    internal static string ProcessLimitNote()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max processes", StringComparison.Ordinal)) is { } line)
            {
                string[] fields = line["Max processes".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return $" The per-user process limit (ulimit -u) is {fields[0]}; memory may also be exhausted.";
            }
        }
        catch (IOException)
        {
            // No /proc: say nothing about limits.
        }

        return string.Empty;
    }

    private void OnRetire(WorkerProcess worker)
    {
        bool replace;
        lock (_gate)
        {
            AssertInvariants();
            replace = worker.State == WorkerState.Ready && !_terminated && _broken is null && (!_closed || _pending.Count > 0) && LiveWorkers() - 1 < _target;
            if (worker.State == WorkerState.Ready)
            {
                worker.State = WorkerState.Retiring;
                worker.RecordExit(WorkerExit.RetiredForMemory);
            }
        }

        PoolLog.WorkerRecycled(Logger, worker.Index, worker.ProcessId, "MaxMemoryPerChild");
        if (replace)
        {
            StartWorker(throwIfCannot: false);
        }
    }

    private void OnInitializerFailed(WorkerProcess worker, Exception error)
    {
        bool breakNow;
        bool startNext;
        lock (_gate)
        {
            AssertInvariants();
            worker.RecordExit(WorkerExit.InitializerFailed);
            worker.State = WorkerState.Stopping;
            startNext = ReleaseStartSlot(worker);
            _startFailuresInRow++;

            // Python respawns forever here (the guide's "Exception Handling in Worker Initialization").
            breakNow = !_everReady || _startFailuresInRow >= _options.MaxInitializerFailures;
        }

        if (startNext && !breakNow)
        {
            StartWorker(throwIfCannot: false);
        }

        if (breakNow)
        {
            Break(new BrokenPoolException($"The pool is broken: the initializer threw {error.GetType().Name} in {worker}: {error.Message}", error));
        }
    }

    private void OnProcessExited(WorkerProcess worker)
    {
        // The socket normally tells first. If it does not (a descriptor leaked to a grandchild keeps it
        // open), the process handle does: close our end so the reader ends and the loss is handled.
        _ = DelayThen(s_exitGrace, worker.CloseSocket);
        if (worker.Socket is null)
        {
            Lost(worker, null);
        }
    }

    /// <summary>
    /// A worker is gone: its reader saw the socket end, its process handle exited with no socket, its start timed
    /// out, or it could not be launched. Handled once, whoever notices first; the response runs once the exit
    /// code is known, awaited without blocking a thread.
    /// </summary>
    private void Lost(WorkerProcess worker, Exception? failure)
    {
        if (!worker.MarkLost())
        {
            return;
        }

        _listener.Forget(worker);
        _ = HandleLossAsync(worker, failure);
    }

    private async Task HandleLossAsync(WorkerProcess worker, Exception? failure)
    {
        try
        {
            int? exitCode = await ExitCodeAsync(worker).ConfigureAwait(false);
            if (exitCode is null)
            {
                worker.Kill();
            }

            RespondToLoss(worker, exitCode, failure);
        }
#pragma warning disable CA1031 // Handling a loss must never take the application down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Warn(logger => PoolLog.LossHandlingFailed(logger, ex, worker.ToString()), $"handling the loss of {worker} failed: {ex}");
        }
    }

    /// <summary>
    /// Forwards a worker's output line by line on a thread of its own with blocking reads: the process class's
    /// asynchronous line reading starts .NET's socket engine and its thread for the pipes, and compiles its async
    /// machinery, in the parent of every fresh pool. Completes at the end of the stream.
    /// </summary>
    private static Task ForwardLines(StreamReader reader, WorkerProcess worker, Action<WorkerProcess, string> forward, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    forward(worker, line);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The process object was disposed under the read: nothing more to forward.
            }
            finally
            {
                done.TrySetResult();
            }
        }) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    /// <summary>The worker's exit code, waiting up to the exit grace for it and for the end of its output (a crash report is complete then); null when unknown.</summary>
    private async Task<int?> ExitCodeAsync(WorkerProcess worker)
    {
        try
        {
            using var wait = new CancellationTokenSource(s_exitGrace, _time);
            await worker.Process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            await worker.OutputDrained.WaitAsync(wait.Token).ConfigureAwait(false);
            return worker.Process.ExitCode;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Never started, or still running after the grace: the exit code stays unknown.
            return null;
        }
    }

    /// <summary>Decides under the lock (<see cref="LossDecision.Decide"/>), then acts after it.</summary>
    private void RespondToLoss(WorkerProcess worker, int? exitCode, Exception? failure)
    {
        LossDecision decision;
        List<ProcessChunk> failed = [];
        ProcessChunk? culprit = null;
        int held;
        bool startDeferred;
        bool allExited;
        Exception? breakWith = null;
        lock (_gate)
        {
            AssertInvariants();
            WorkerState state = worker.State;
            startDeferred = ReleaseStartSlot(worker);
            worker.State = WorkerState.Dead;
            _workers.Remove(worker);
            List<ProcessChunk> chunks = [.. worker.InFlight.Values.OrderBy(c => c.Id)];
            worker.InFlight.Clear();
            worker.QueuedTicks = 0;
            held = chunks.Count;
            decision = LossDecision.Decide(new LossInputs
            {
                Recorded = worker.Exit,
                State = state,
                Held = chunks.ConvertAll(c => new HeldChunk(c.Id, c.AttemptCount, c.Job.IsAbandoned)),
                RunningChunk = worker.Status.RunningChunk,
                TimedOutChunk = worker.TimedOutChunk,
                PoolTerminated = _terminated,
                PoolBroken = _broken is not null,
                PoolClosed = _closed,
                Pending = _pending.Count,
                LiveWorkers = LiveWorkers(),
                Target = _target,
                StartFailuresInRow = _startFailuresInRow,
                MaxInitializerFailures = _options.MaxInitializerFailures,
                MaxRetries = _options.MaxRetries,
            });

            ProcessChunk ById(long id) => chunks.Find(c => c.Id == id)!;
            culprit = decision.Culprit is { } blamed ? ById(blamed) : null;
            if (decision.RetryCulprit)
            {
                culprit!.Attempts.Add(Describe(worker, exitCode, failure));
            }

            if (decision.Requeue.Count > 0)
            {
                RequeueAtFront(decision.Requeue.Select(ById));
            }

            failed.AddRange(decision.Fail.Select(f => ById(f.Id)));
            if (decision.CountsAsStartFailure)
            {
                _startFailuresInRow++;
            }

            if (decision.BreaksPool)
            {
                breakWith = new BrokenPoolException($"The pool is broken: {Describe(worker, exitCode, failure)} before it was ready.", failure);
            }

            allExited = SignalIfAllExited();
            AssertInvariants();
        }

        // Everything below calls the application (its logger, its results' continuations) and so runs after the lock.
        if (allExited)
        {
            OnAllExited();
        }

        PoolTelemetry.WorkerExited(decision.Reason);
        PoolLog.WorkerExited(Logger, worker.Index, worker.ProcessId, decision.Reason, exitCode);
        if (decision.Exit == WorkerExit.Crashed && culprit is not null)
        {
            PoolLog.WorkerCrashed(Logger, worker.Index, worker.ProcessId, exitCode, exitCode > 128 ? exitCode - 128 : null, culprit.Descriptor.DisplayName, held - 1);
        }

        if (breakWith is not null)
        {
            Break(breakWith);
        }

        for (int i = 0; i < failed.Count; i++)
        {
            failed[i].Fail(LostChunkError(worker, failed[i], decision.Fail[i].TimedOut, exitCode, failure));
        }

        if (failed.Count == 0 && worker.HasCrashReport)
        {
            // No task's exception carries the crash report this time (an idle worker, or a retry): show it once here.
            string tail = string.Join(Environment.NewLine, worker.StandardErrorTail());
            Warn(logger => PoolLog.WorkerCrashReport(logger, Describe(worker, exitCode, failure), tail), $"{Describe(worker, exitCode, failure)}; the end of its standard error:{Environment.NewLine}{tail}");
        }

        if (decision.Replace)
        {
            StartWorker(throwIfCannot: false);
        }

        if (startDeferred && breakWith is null)
        {
            StartWorker(throwIfCannot: false);
        }

        Dispatch(fromSubmitter: false);
        worker.Dispose();
    }

    private Exception LostChunkError(WorkerProcess worker, ProcessChunk chunk, bool timedOut, int? exitCode, Exception? failure)
    {
        string what = $"{chunk.Descriptor.DisplayName} (items {chunk.Start}..{chunk.Start + chunk.Count - 1} of its call)";
        if (timedOut && (chunk.TimeoutOverride ?? _options.TaskTimeout) is { } timeout)
        {
            return new TaskTimeoutException(
                $"A task of {what} ran longer than the task timeout of {timeout}; worker {worker.Index} (pid {worker.ProcessId}) was killed to stop it and replaced.",
                timeout,
                worker.Index,
                worker.ProcessId);
        }

        int? signal = exitCode > 128 && !OperatingSystem.IsWindows() ? exitCode - 128 : null;
        string[] tail = worker.StandardErrorTail();
        string attempts = chunk.AttemptCount == 0 ? string.Empty
            : Environment.NewLine + $"It was tried {chunk.Attempts.Count + 1} times (MaxRetries = {_options.MaxRetries}); earlier attempts: " + string.Join("; ", chunk.Attempts) + ".";
        string message = $"{Describe(worker, exitCode, failure)} while running {what}. The worker was replaced; other tasks are unaffected." + attempts +
            (tail.Length > 0 ? Environment.NewLine + (worker.HasCrashReport ? "Its crash report on standard error (not shown on the console):" : "Last lines on its standard error:") + Environment.NewLine + string.Join(Environment.NewLine, tail) : string.Empty);
        return new WorkerCrashedException(message, worker.Index, worker.ProcessId, exitCode, signal, tail);
    }

    private static string Describe(WorkerProcess worker, int? exitCode, Exception? failure)
    {
        string how = exitCode switch
        {
            null => "died (exit code unknown)",
            > 128 when !OperatingSystem.IsWindows() => $"was killed by signal {exitCode - 128} (exit code {exitCode})",
            _ => $"exited with code {exitCode}",
        };
        return $"Worker {worker.Index} (pid {worker.ProcessId}) {how}" + (failure is InvalidDataException ? $" after a corrupt message ({failure.Message})" : string.Empty);
    }

    private void Break(Exception error)
    {
        List<ProcessChunk> failed;
        lock (_gate)
        {
            AssertInvariants();
            if (_broken is not null)
            {
                return;
            }

            _broken = error;
            failed = [.. _pending];
            _pending.Clear();
        }

        // The application's logger and the results' continuations run after the lock.
        PoolLog.PoolBroken(Logger, error);
        foreach (var chunk in failed)
        {
            chunk.Fail(error);
        }
    }

    /// <summary>Under the lock: true when this call saw the last worker go from a closed or terminated pool.</summary>
    private bool SignalIfAllExited()
    {
        if (_workers.Count == 0 && (_closed || _terminated) && !_allExited.IsSet)
        {
            _allExited.Set();
            return true;
        }

        return false;
    }
}
