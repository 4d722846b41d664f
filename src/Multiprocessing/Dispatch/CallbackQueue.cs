using System.Collections.Concurrent;

namespace Multiprocessing.Dispatch;

/// <summary>
/// Runs result and error callbacks, one at a time and in completion order (as Python's result thread
/// does), on a thread of their own: a slow callback never delays a result, and a throwing one is reported
/// through the pool's CallbackFailed event and never breaks the pool (Python's Pool deadlocks there).
/// </summary>
internal sealed class CallbackQueue : IDisposable
{
    private readonly BlockingCollection<(Action Callback, bool IsError)> _queue = [];
    private readonly Action<object, Exception, bool> _onFailure;

    // Weak: the callback thread must not keep a pool dropped without Dispose from being collected.
    private readonly WeakReference<object> _owner;
    private readonly Lazy<Thread> _thread;

    /// <param name="owner">Passed to <paramref name="onFailure"/>; held weakly.</param>
    /// <param name="onFailure">Reports a callback's exception (true: an error callback); a static delegate, so it roots nothing.</param>
    public CallbackQueue(object owner, Action<object, Exception, bool> onFailure)
    {
        _owner = new WeakReference<object>(owner);
        _onFailure = onFailure;
        _thread = new Lazy<Thread>(() =>
        {
            var t = new Thread(Run) { IsBackground = true, Name = "Multiprocessing callbacks" };
            t.Start();
            return t;
        });
    }

    /// <summary>Whether the calling thread is this queue's callback thread.</summary>
    public bool IsCallbackThread => _thread.IsValueCreated && _thread.Value == Thread.CurrentThread;

    public void Post(Action callback, bool isError)
    {
        _ = _thread.Value;
        try
        {
            _queue.Add((callback, isError));
        }
        catch (InvalidOperationException)
        {
            // The queue was completed by Dispose after a Join that gave up: run inline rather than lose it.
            Invoke(callback, isError);
        }
    }

    /// <summary>Stops taking callbacks and waits for the queued ones to run.</summary>
    public bool Drain(TimeSpan timeout)
    {
        _queue.CompleteAdding();
        return !_thread.IsValueCreated || _thread.Value == Thread.CurrentThread || _thread.Value.Join(timeout);
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        foreach (var (callback, isError) in _queue.GetConsumingEnumerable())
        {
            Invoke(callback, isError);
        }
    }

    private void Invoke(Action callback, bool isError)
    {
        try
        {
            callback();
        }
#pragma warning disable CA1031 // A user callback may throw anything; it is reported, never rethrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (_owner.TryGetTarget(out var owner))
            {
                _onFailure(owner, ex, isError);
            }
            else
            {
                Console.Error.WriteLine($"Multiprocessing: a callback threw {ex.GetType().Name}: {ex.Message} (its pool was garbage-collected).");
            }
        }
    }
}
