namespace Multiprocessing;

/// <content>Completion and JoinAsync: the end of the pool as a task.</content>
public abstract partial class PoolBase
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completionWanted;
    private int _completionWatched;

    /// <inheritdoc />
    public Task Completion
    {
        get
        {
            Volatile.Write(ref _completionWanted, 1);
            WatchCompletion();
            return _completion.Task;
        }
    }

    /// <inheritdoc />
    public Task JoinAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        lock (_lifecycle)
        {
            if (_state == Running)
            {
                throw new InvalidOperationException("The pool is still running; call Close() or Terminate() before JoinAsync() (Python raises ValueError here).");
            }
        }

        return Completion.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Once someone wants <see cref="Completion"/> and the pool has stopped running, awaits the workers and the
    /// callbacks, as <see cref="Join()"/> waits for them, without a thread of its own.
    /// </summary>
    private void WatchCompletion()
    {
        if (Volatile.Read(ref _completionWanted) == 0 || Volatile.Read(ref _state) == Running || Interlocked.Exchange(ref _completionWatched, 1) != 0)
        {
            return;
        }

        _ = CompleteWhenJoinedAsync();
    }

    private async Task CompleteWhenJoinedAsync()
    {
        try
        {
            StopUnreadStreams();
            await _executor.JoinAsync().ConfigureAwait(false);
            await _callbacks.DrainAsync().ConfigureAwait(false);
            _completion.TrySetResult();
        }
#pragma warning disable CA1031 // Whatever ends the wait is the completion's outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _completion.TrySetException(ex);
        }
    }
}
