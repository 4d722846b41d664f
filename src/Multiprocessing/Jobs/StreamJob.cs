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
        lock (_gate)
        {
            _stopWhenBehind = true;
            Signal();
        }
    }

    /// <summary>
    /// After a window wait returned false: if that was <see cref="StopReadingWhenBehind"/>, the input ends here for
    /// the consumer, who gets the <paramref name="total"/> results issued and then an exception saying why.
    /// </summary>
    public void EndInputIfStopped(long total)
    {
        lock (_gate)
        {
            if (!_stopWhenBehind || _abandoned || _fatal is not null || _total >= 0)
            {
                return;
            }

            _total = total;
            _inputError = new InvalidOperationException(
                $"Join() was called while this Imap's results were not being consumed, so the pool stopped reading its input after {total} items: " +
                "Join does not wait for input nobody consumes. The results of those items came first; to get every result, consume the Imap before calling Join().");
            Signal();
        }

        Progress?.SetTotal(total); // the user's progress sink runs after the lock
    }

    /// <summary>The input ended after <paramref name="total"/> items, or threw <paramref name="error"/> there.</summary>
    public void InputDone(long total, Exception? error)
    {
        lock (_gate)
        {
            _total = total;
            _inputError = error;
            Signal();
        }

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
                    _abandoned = true;
                }

                onCancelled();
            },
            null);
    }

    /// <summary>Every remaining item fails with <paramref name="error"/> (the pool was terminated).</summary>
    public void Fail(Exception error)
    {
        lock (_gate)
        {
            _fatal ??= error;
            Signal();
        }
    }

    public override void CompleteChunk(long start, TResult[] results, IReadOnlyList<(int Offset, Exception Error)>? failures)
    {
        lock (_gate)
        {
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

            Signal();
        }

        // Metrics and the user's progress sink run after the lock.
        CountSettled(results.Length - (failures?.Count ?? 0), failures?.Count ?? 0);
    }

    public override void FailChunk(long start, int count, Exception error)
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }

            for (int i = 0; i < count; i++)
            {
                Add(start + i, (default!, error));
            }

            Signal();
        }

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
                // WithCancellation is honoured at every step, also while results are already buffered.
                cancellationToken.ThrowIfCancellationRequested();
                lock (_gate)
                {
                    if (!TryTakeUnderLock(out slot, out done))
                    {
                        wait = AsyncWaitUnderLock();
                    }
                }

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
        lock (_gate)
        {
            early = _total < 0 || _consumed < _total;
            _abandoned = true;
            Signal();
        }

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
    private bool TryTakeUnderLock(out (TResult Value, Exception? Error) slot, out bool done)
    {
        done = false;
        if (_ordered ? _byIndex.Remove(_consumed, out slot) : _byArrival.TryDequeue(out slot))
        {
            _consumed++;
            Signal();
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

    /// <summary>Under the lock: wakes synchronous waiters, and asynchronous ones if any is waiting.</summary>
    private void Signal()
    {
        Monitor.PulseAll(_gate);
        if (_asyncWaiting)
        {
            _asyncWaiting = false;
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

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
                lock (_gate)
                {
                    while (!TryTakeUnderLock(out slot, out done))
                    {
                        Monitor.Wait(_gate);
                    }
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
}
