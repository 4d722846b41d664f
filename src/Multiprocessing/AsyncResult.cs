using System.Runtime.CompilerServices;
using Multiprocessing.Dispatch;

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
    public T Get() => _completion.Task.GetAwaiter().GetResult();

    /// <summary>Waits at most <paramref name="timeout"/> for the result. The task keeps running after a timeout.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">The result was not ready in time (Python's multiprocessing.TimeoutError).</exception>
    public T Get(TimeSpan timeout) => Wait(timeout) ? Get() : throw new TimeoutException($"The result was not ready within {timeout}; the task is still running.");

    /// <summary>Waits until the task completes: Python's <c>wait()</c>. Does not throw the task's exception.</summary>
    public void Wait() => ((IAsyncResult)_completion.Task).AsyncWaitHandle.WaitOne();

    /// <summary>Waits at most <paramref name="timeout"/> for the task to complete.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>True if the task completed in time.</returns>
    public bool Wait(TimeSpan timeout)
    {
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
        if (!_completion.TrySetResult(value))
        {
            return false;
        }

        if (_callback is { } callback)
        {
            _callbacks?.Post(() => callback(value), isError: false);
        }

        return true;
    }

    internal bool TrySetException(Exception error)
    {
        if (!_completion.TrySetException(error))
        {
            return false;
        }

        if (_errorCallback is { } callback)
        {
            _callbacks?.Post(() => callback(error), isError: true);
        }

        return true;
    }
}
