using System.Collections;

namespace Multiprocessing.Dispatch;

/// <summary>
/// The results of Imap (input order) or ImapUnordered (completion order), handed to one consumer as they
/// arrive. The producer (the pool's feeder for this call) may run at most <c>window</c> items ahead of the
/// consumer, which is what lets an infinite input work in bounded memory.
/// </summary>
internal sealed class StreamJob<TResult> : Job<TResult>, IEnumerable<TResult>
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
    private int _enumerated;
    private CancellationTokenRegistration _registration;

    public StreamJob(bool ordered, int window)
    {
        _ordered = ordered;
        _window = Math.Max(1, window);
    }

    public override bool IsAbandoned => Volatile.Read(ref _abandoned);

    /// <summary>Called by the feeder before issuing <paramref name="count"/> more items; false means stop.</summary>
    public bool WaitForWindow(int count)
    {
        lock (_gate)
        {
            while (!_abandoned && _fatal is null && _issued - _consumed + count > _window && _issued > _consumed)
            {
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

    /// <summary>The input ended after <paramref name="total"/> items, or threw <paramref name="error"/> there.</summary>
    public void InputDone(long total, Exception? error)
    {
        lock (_gate)
        {
            _total = total;
            _inputError = error;
            Monitor.PulseAll(_gate);
        }
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
            Monitor.PulseAll(_gate);
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

            Monitor.PulseAll(_gate);
        }
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

            Monitor.PulseAll(_gate);
        }
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
                    while (true)
                    {
                        if (_ordered ? _byIndex.Remove(_consumed, out slot) : _byArrival.TryDequeue(out slot))
                        {
                            _consumed++;
                            Monitor.PulseAll(_gate);
                            break;
                        }

                        if (_total >= 0 && _consumed >= _total)
                        {
                            // Python's imap raises the input's exception where the input raised it.
                            slot = (default!, _inputError);
                            _inputError = null;
                            done = slot.Error is null;
                            break;
                        }

                        if (_fatal is { } fatal)
                        {
                            slot = (default!, fatal);
                            break;
                        }

                        Monitor.Wait(_gate);
                    }
                }

                if (slot.Error is { } error)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                }

                if (done)
                {
                    yield break;
                }

                yield return slot.Value;
            }
        }
        finally
        {
            _registration.Dispose();
            lock (_gate)
            {
                _abandoned = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
