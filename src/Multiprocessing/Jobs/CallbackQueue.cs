using System.Collections.Concurrent;

namespace Multiprocessing.Jobs;

/// <summary>
/// Runs result and error callbacks, one at a time and in completion order (as Python's result thread
/// does), on a thread of their own: a slow callback never delays a result, and a throwing one is reported
/// through the pool's CallbackFailed event and never breaks the pool (Python's Pool deadlocks there).
/// </summary>
internal sealed class CallbackQueue : IDisposable
{
    private readonly BlockingCollection<Entry> _queue = [];
    private readonly Action<object, Exception, bool> _onFailure;
    private readonly Microsoft.Extensions.Logging.ILogger? _logger;

    // Weak: the callback thread must not keep a pool dropped without Dispose from being collected.
    private readonly WeakReference<object> _owner;
    private readonly Lazy<Thread> _thread;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="owner">Passed to <paramref name="onFailure"/>; held weakly.</param>
    /// <param name="onFailure">Reports a callback's exception (true: an error callback); a static delegate, so it roots nothing.</param>
    /// <param name="logger">The application's logger, for a failure once the owner is gone; null: standard error.</param>
    public CallbackQueue(object owner, Action<object, Exception, bool> onFailure, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _owner = new WeakReference<object>(owner);
        _onFailure = onFailure;
        _logger = logger;
        _thread = new Lazy<Thread>(() =>
        {
            var t = new Thread(Run) { IsBackground = true, Name = "Multiprocessing callbacks" };
            t.Start();
            return t;
        });
    }

    /// <summary>Whether the calling thread is this queue's callback thread.</summary>
    public bool IsCallbackThread => _thread.IsValueCreated && _thread.Value == Thread.CurrentThread;

    /// <summary>Queues a callback; <paramref name="then"/> runs after it (and after its failure is reported), whatever it did.</summary>
    public void Post(Action callback, bool isError, Action? then = null)
    {
        _ = _thread.Value;
        var entry = new Entry(callback, isError, then);
        try
        {
            _queue.Add(entry);
        }
        catch (InvalidOperationException)
        {
            // The queue was completed by Dispose after a Join that gave up: run inline rather than lose it.
            Invoke(entry);
        }
    }

    /// <summary>Stops taking callbacks and waits for the queued ones to run.</summary>
    public bool Drain(TimeSpan timeout)
    {
        _queue.CompleteAdding();
        return !_thread.IsValueCreated || _thread.Value == Thread.CurrentThread || _thread.Value.Join(timeout);
    }

    /// <summary>As <see cref="Drain"/>, without blocking a thread.</summary>
    public Task DrainAsync()
    {
        _queue.CompleteAdding();
        return !_thread.IsValueCreated || _thread.Value == Thread.CurrentThread ? Task.CompletedTask : _drained.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

    private void Run()
    {
        try
        {
            foreach (var entry in _queue.GetConsumingEnumerable())
            {
                Invoke(entry);
            }
        }
        finally
        {
            _drained.TrySetResult();
        }
    }

    private void Invoke(Entry entry)
    {
        try
        {
            Report(entry.Callback, entry.IsError);
        }
        finally
        {
            entry.Then?.Invoke();
        }
    }

    private void Report(Action callback, bool isError)
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
            else if (_logger is not null)
            {
                Diagnostics.PoolLog.CallbackFailed(_logger, ex, isError ? "error callback of a collected pool" : "callback of a collected pool");
            }
            else
            {
                Console.Error.WriteLine($"Multiprocessing: a callback threw {ex.GetType().Name}: {ex.Message} (its pool was garbage-collected).");
            }
        }
    }

    /// <summary>A queued callback (a class, so the queue runs the framework's shared precompiled code).</summary>
    private sealed record Entry(Action Callback, bool IsError, Action? Then);
}
