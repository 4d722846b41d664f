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
    /// Once someone wants <see cref="Completion"/> and the pool has stopped running, one thread waits for the
    /// workers and the callbacks, as <see cref="Join()"/> does (the executors can only be waited for by blocking).
    /// </summary>
    private void WatchCompletion()
    {
        if (Volatile.Read(ref _completionWanted) == 0 || Volatile.Read(ref _state) == Running || Interlocked.Exchange(ref _completionWatched, 1) != 0)
        {
            return;
        }

        var watcher = new Thread(() =>
        {
            try
            {
                JoinCore(Timeout.InfiniteTimeSpan);
                _completion.TrySetResult();
            }
#pragma warning disable CA1031 // Whatever ends the wait is the completion's outcome.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _completion.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "Multiprocessing completion" };
        watcher.Start();
    }
}
