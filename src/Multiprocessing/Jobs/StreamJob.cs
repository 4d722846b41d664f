using System.Collections;

namespace Multiprocessing.Jobs;

/// <summary>
/// The results of Imap (input order) or ImapUnordered (completion order), handed to one consumer as they
/// arrive. The producer (the pool's feeder for this call) may run at most <c>window</c> items ahead of the
/// consumer, which is what lets an infinite input work in bounded memory.
/// </summary>
internal sealed class StreamJob<TResult> : Job<TResult>, IResultStream<TResult>, IFedStream
{
    private readonly object _gate = new();
    private readonly bool _ordered;
    private readonly int _window;
    private readonly Dictionary<long, (TResult Value, Exception? Error)> _byIndex = [];
    private readonly Queue<(TResult Value, Exception? Error)> _byArrival = new();
    private long _issued;
    private long _consumed;
    private long _total = -1;
    private Exception? _inputError;
    private Exception? _fatal;
    private bool _abandoned;
    private bool _stopWhenBehind;
    private int _enumerated;
    private CancellationTokenRegistration _registration;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _asyncWaiting;

    public StreamJob(bool ordered, int window)
    {
        _ordered = ordered;
        _window = Math.Max(1, window);
    }

    public override bool IsAbandoned => Volatile.Read(ref _abandoned);

    /// <summary>As <see cref="WaitForWindow"/>, for a feeder reading an asynchronous input.</summary>
    public async ValueTask<bool> WaitForWindowAsync(int count)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                AssertInvariants();
                if (_abandoned || _fatal is not null)
                {
                    return false;
                }

                if (_issued - _consumed + count <= _window || _issued <= _consumed)
                {
                    _issued += count;
                    return true;
                }

                if (_stopWhenBehind)
                {
                    return false;
                }

                wait = AsyncWaitUnderLock();
            }

            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>Reserves room for <paramref name="count"/> more items if there is room now; never blocks.</summary>
    /// <param name="count">Items to issue.</param>
    /// <param name="window">A smaller read-ahead for this reservation than the call's, or null for the call's.</param>
    public bool TryReserveWindow(int count, int? window = null)
    {
        lock (_gate)
        {
            AssertInvariants();
            if (_abandoned || _fatal is not null || (_issued - _consumed + count > Math.Min(_window, window ?? _window) && _issued > _consumed))
            {
                return false;
            }

            _issued += count;
            return true;
        }
    }

    /// <summary>Called by the feeder before issuing <paramref name="count"/> more items; false means stop.</summary>
    /// <param name="count">Items to issue.</param>
    /// <param name="window">A smaller read-ahead for this reservation than the call's, or null for the call's.</param>
    public bool WaitForWindow(int count, int? window = null)
    {
        int limit = Math.Min(_window, window ?? _window);
        lock (_gate)
        {
            AssertInvariants();
            while (!_abandoned && _fatal is null && _issued - _consumed + count > limit && _issued > _consumed)
            {
                if (_stopWhenBehind)
                {
                    return false;
                }

                Monitor.Wait(_gate);
            }

            if (_abandoned || _fatal is not null)
            {
                return false;
            }

            _issued += count;
            return true;
        }
    }

    /// <inheritdoc />
    public void StopReadingWhenBehind()
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            _stopWhenBehind = true;
            wake = Signal();
        }

        Wake(wake);
    }

    /// <summary>
    /// After a window wait returned false: if that was <see cref="StopReadingWhenBehind"/>, the input ends here for
    /// the consumer, who gets the <paramref name="total"/> results issued and then an exception saying why.
    /// </summary>
    public void EndInputIfStopped(long total)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            if (!_stopWhenBehind || _abandoned || _fatal is not null || _total >= 0)
            {
                return;
            }

            _total = total;
            _inputError = new InvalidOperationException(
                $"Join() was called while this Imap's results were not being consumed, so the pool stopped reading its input after {total} items: " +
                "Join does not wait for input nobody consumes. The results of those items came first; to get every result, consume the Imap before calling Join().");
            wake = Signal();
        }

        Wake(wake);
        Progress?.SetTotal(total); // the user's progress sink runs after the lock
    }

    /// <summary>The input ended after <paramref name="total"/> items, or threw <paramref name="error"/> there.</summary>
    public void InputDone(long total, Exception? error)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            _total = total;
            _inputError = error;
            wake = Signal();
        }

        Wake(wake);

        Progress?.SetTotal(total); // the user's progress sink runs after the lock
    }

    /// <summary>Cancels the stream when <paramref name="token"/> fires: remaining items fail with
    /// <see cref="OperationCanceledException"/> and the feeder stops reading the input.</summary>
    public void CancelWith(CancellationToken token, Action onCancelled)
    {
        _registration = token.UnsafeRegister(
            _ =>
            {
                Fail(new OperationCanceledException("The Imap call was cancelled.", token));
                lock (_gate)
                {
                    AssertInvariants();
                    _abandoned = true;
                }

                onCancelled();
            },
            null);
    }

    /// <summary>Every remaining item fails with <paramref name="error"/> (the pool was terminated).</summary>
    public void Fail(Exception error)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            _fatal ??= error;
            wake = Signal();
        }

        Wake(wake);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void CompleteChunk(long start, TResult[] results, IReadOnlyList<(int Offset, Exception Error)>? failures)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            if (_abandoned)
            {
                return;
            }

            int f = 0;
            for (int i = 0; i < results.Length; i++)
            {
                Exception? error = null;
                if (failures is not null && f < failures.Count && failures[f].Offset == i)
                {
                    error = failures[f++].Error;
                }

                Add(start + i, (results[i], error));
            }

            wake = Signal();
        }

        Wake(wake);

        // Metrics and the user's progress sink run after the lock.
        CountSettled(results.Length - (failures?.Count ?? 0), failures?.Count ?? 0);
    }

    public override void FailChunk(long start, int count, Exception error)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            if (_abandoned)
            {
                return;
            }

            for (int i = 0; i < count; i++)
            {
                Add(start + i, (default!, error));
            }

            wake = Signal();
        }

        Wake(wake);

        CountSettled(0, count);
    }

    public IEnumerator<TResult> GetEnumerator()
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("The results of Imap and ImapUnordered can be enumerated only once.");
        }

        return Enumerate();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public IAsyncEnumerator<TResult> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("The results of ImapAsync and ImapUnorderedAsync can be enumerated only once.");
        }

        return EnumerateAsync(cancellationToken);
    }

    private async IAsyncEnumerator<TResult> EnumerateAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                (TResult Value, Exception? Error) slot = default;
                bool done = false;
                Task? wait = null;
                TaskCompletionSource? wake = null;
                // WithCancellation is honoured at every step, also while results are already buffered.
                cancellationToken.ThrowIfCancellationRequested();
                lock (_gate)
                {
                    AssertInvariants();
                    if (!TryTakeUnderLock(out slot, out done, ref wake))
                    {
                        wait = AsyncWaitUnderLock();
                    }
                }

                Wake(wake);

                if (wait is not null)
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (IsEnd(slot, done))
                {
                    yield break;
                }

                yield return slot.Value;
            }
        }
        finally
        {
            EndConsumer();
        }
    }

    /// <summary>Throws the slot's exception, if any; true when the stream has ended.</summary>
    private static bool IsEnd((TResult Value, Exception? Error) slot, bool done)
    {
        if (slot.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        return done;
    }

    /// <summary>The consumer stopped (finished, broke out, or was cancelled): nobody wants more results.</summary>
    private void EndConsumer()
    {
        _registration.Dispose();
        Activity?.Stop();
        bool early;
        TaskCompletionSource? wake;
        lock (_gate)
        {
            AssertInvariants();
            early = _total < 0 || _consumed < _total;
            _abandoned = true;
            wake = Signal();
        }

        Wake(wake);

        // A consumer that left early wants none of the rest (Python keeps running it): queued chunks are
        // dropped as abandoned, and those a worker holds are skipped or see their token, after the lock.
        if (early)
        {
            OnAbandoned?.Invoke();
        }
    }

    /// <summary>Stops the chunks workers hold for this stream (set once, before the stream is handed out).</summary>
    public Action? OnAbandoned { get; init; }

    /// <summary>Under the lock: the next result, the end, or false when the consumer must wait.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeUnderLock(out (TResult Value, Exception? Error) slot, out bool done, ref TaskCompletionSource? wake)
    {
        AssertInvariants();
        done = false;
        if (_ordered ? _byIndex.Remove(_consumed, out slot) : _byArrival.TryDequeue(out slot))
        {
            _consumed++;
            wake = Signal() ?? wake;
            return true;
        }

        if (_total >= 0 && _consumed >= _total)
        {
            // The input's exception comes where the input raised it, after every item read before it, whatever
            // the chunksize (CPython's imap drops the items of the unfinished chunk).
            slot = (default!, _inputError);
            _inputError = null;
            done = slot.Error is null;
            return true;
        }

        if (_fatal is { } fatal)
        {
            slot = (default!, fatal);
            return true;
        }

        return false;
    }

    private Task AsyncWaitUnderLock()
    {
        _asyncWaiting = true;
        return _changed.Task;
    }

    /// <summary>
    /// Under the lock: wakes synchronous waiters, and returns the asynchronous waiters' task to complete once
    /// the lock is released (<see cref="Wake"/>): completing it under the lock would run no user code, with
    /// RunContinuationsAsynchronously, but the rule is kept without exceptions.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private TaskCompletionSource? Signal()
    {
        Monitor.PulseAll(_gate);
        if (!_asyncWaiting)
        {
            return null;
        }

        _asyncWaiting = false;
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }

    /// <summary>After the lock: wakes the asynchronous waiters <see cref="Signal"/> returned.</summary>
    private static void Wake(TaskCompletionSource? changed) => changed?.TrySetResult();

    /// <summary>
    /// Checked on entry to every section under the lock in Debug builds, as BoundedChannel does: nothing is
    /// consumed that was not issued, nothing buffered that was not issued and is unconsumed, and the input's
    /// end is not before what was consumed.
    /// </summary>
    [System.Diagnostics.Conditional("DEBUG")]
    private void AssertInvariants()
    {
        System.Diagnostics.Debug.Assert(Monitor.IsEntered(_gate), "AssertInvariants runs under the lock.");
        System.Diagnostics.Debug.Assert(_consumed >= 0 && _consumed <= _issued, $"consumed {_consumed} of {_issued} issued.");
        System.Diagnostics.Debug.Assert(_byIndex.Count + _byArrival.Count <= _issued - _consumed, $"{_byIndex.Count + _byArrival.Count} buffered with {_issued - _consumed} issued and unconsumed.");
        System.Diagnostics.Debug.Assert(_total < 0 || _consumed <= _total, $"consumed {_consumed} of a total of {_total}.");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Add(long index, (TResult, Exception?) slot)
    {
        if (_ordered)
        {
            _byIndex[index] = slot;
        }
        else
        {
            _byArrival.Enqueue(slot);
        }
    }

    private IEnumerator<TResult> Enumerate()
    {
        try
        {
            while (true)
            {
                (TResult Value, Exception? Error) slot = default;
                bool done = false;
                TaskCompletionSource? wake = null;
                lock (_gate)
                {
                    AssertInvariants();
                    while (!TryTakeUnderLock(out slot, out done, ref wake))
                    {
                        Monitor.Wait(_gate);
                    }
                }

                Wake(wake);

                if (IsEnd(slot, done))
                {
                    yield break;
                }

                yield return slot.Value;
            }
        }
        finally
        {
            EndConsumer();
        }
    }
}
