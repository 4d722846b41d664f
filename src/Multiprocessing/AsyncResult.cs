using System.Runtime.CompilerServices;
using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;

namespace Multiprocessing;

/// <summary>
/// The result of a task issued asynchronously: Python's <c>AsyncResult</c>. Wait for it with
/// <see cref="Get()"/> or <see cref="Wait()"/>, poll it with <see cref="IsReady"/>, or await it.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public sealed class AsyncResult<T>
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CallbackQueue? _callbacks;
    private readonly Action<T>? _callback;
    private readonly Action<Exception>? _errorCallback;
    private ICancellableJob? _canceller;

    // 0 until the outcome is decided, then 1: the first TrySet wins even while the completion itself waits
    // for the callback thread.
    private int _settled;

    internal AsyncResult(CallbackQueue? callbacks, Action<T>? callback, Action<Exception>? errorCallback)
    {
        _callbacks = callbacks;
        _callback = callback;
        _errorCallback = errorCallback;
    }

    /// <summary>Whether the task has completed, successfully or not: Python's <c>ready()</c>.</summary>
    public bool IsReady => _completion.Task.IsCompleted;

    /// <summary>Whether the task completed without an exception: Python's <c>successful()</c>.</summary>
    /// <exception cref="InvalidOperationException">The task has not completed yet (Python raises ValueError).</exception>
    public bool IsSuccessful => IsReady ? _completion.Task.IsCompletedSuccessfully : throw new InvalidOperationException("The result is not ready yet; IsSuccessful can only be read once IsReady is true.");

    /// <summary>Waits for the result and returns it; rethrows the task's exception.</summary>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">Called from a callback of the same pool for a result whose own callback has not run yet: it would wait for itself (Python deadlocks there).</exception>
    public T Get()
    {
        ThrowIfWaitingWouldDeadlock();
        return _completion.Task.GetAwaiter().GetResult();
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the result. The task keeps running after a timeout.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">The result was not ready in time (Python's multiprocessing.TimeoutError).</exception>
    public T Get(TimeSpan timeout) => Wait(timeout) ? Get() : throw new TimeoutException($"The result was not ready within {timeout}; the task is still running.");

    /// <summary>Waits until the task completes: Python's <c>wait()</c>. Does not throw the task's exception.</summary>
    /// <exception cref="InvalidOperationException">Called from a callback of the same pool for a result whose own callback has not run yet.</exception>
    public void Wait()
    {
        ThrowIfWaitingWouldDeadlock();
        ((IAsyncResult)_completion.Task).AsyncWaitHandle.WaitOne();
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the task to complete.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>True if the task completed in time.</returns>
    /// <exception cref="InvalidOperationException">Called from a callback of the same pool for a result whose own callback has not run yet.</exception>
    public bool Wait(TimeSpan timeout)
    {
        ThrowIfWaitingWouldDeadlock();
        try
        {
            return _completion.Task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>
    /// Cancels the task: if it has not started it never runs; if it is running in a worker process its
    /// cancellation token (when its method takes one) is tripped, and after
    /// <see cref="PoolOptions.CancellationGracePeriod"/> the worker is killed and replaced. The result fails
    /// with <see cref="OperationCanceledException"/>. Goes beyond Python's ProcessPoolExecutor, whose
    /// <c>cancel()</c> only works before a task starts.
    /// </summary>
    /// <returns>True if this call cancelled it; false if it had already completed.</returns>
    public bool Cancel() => _canceller?.Cancel() ?? false;

    /// <summary>The result as a task, for <c>await</c>, <c>Task.WhenAll</c> and <c>Task.WhenAny</c>.</summary>
    /// <returns>A task that completes with the result.</returns>
    public Task<T> AsTask() => _completion.Task;

    /// <summary>Makes the result awaitable.</summary>
    /// <returns>An awaiter.</returns>
    public TaskAwaiter<T> GetAwaiter() => _completion.Task.GetAwaiter();

    internal void SetCanceller(ICancellableJob canceller) => _canceller = canceller;

    internal bool TrySetResult(T value)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return false;
        }

        if (_callback is { } callback && _callbacks is { } queue)
        {
            // As in Python, the result is ready only once its callback has run, so code reading what its
            // callback collected right after Get() sees it; a throwing callback is reported (CallbackFailed)
            // and still completes the result.
            queue.Post(() => callback(value), isError: false, then: () => _completion.TrySetResult(value));
        }
        else
        {
            _completion.TrySetResult(value);
        }

        return true;
    }

    internal bool TrySetException(Exception error)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return false;
        }

        if (_errorCallback is { } callback && _callbacks is { } queue)
        {
            queue.Post(() => callback(error), isError: true, then: () => _completion.TrySetException(error));
        }
        else
        {
            _completion.TrySetException(error);
        }

        return true;
    }

    /// <summary>
    /// A callback that waits for a result whose own callback is still to run would wait for itself: the
    /// callback thread runs one callback at a time.
    /// </summary>
    private void ThrowIfWaitingWouldDeadlock()
    {
        if (!_completion.Task.IsCompleted && _callbacks is { IsCallbackThread: true } && (_callback is not null || _errorCallback is not null))
        {
            throw new InvalidOperationException("A callback waited for a result that has a callback of its own: that callback runs on the same thread, after this one, so the wait could never end. Wait for it outside the callback, or issue it without a callback.");
        }
    }
}
