using Multiprocessing.Dispatch;

namespace Multiprocessing;

/// <content>Imap and ImapUnordered: a lazily read input, results handed out as they arrive.</content>
public abstract partial class PoolBase
{
    /// <summary>The least number of items Imap reads ahead of its consumer, for pipelining small items.</summary>
    private const int MinReadAhead = 1024;

    /// <inheritdoc />
    public IEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default)
        => Stream(func, iterable, chunksize, ordered: true, cancellationToken);

    /// <inheritdoc />
    public IEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default)
        => Stream(func, iterable, chunksize, ordered: false, cancellationToken);

    private StreamJob<TResult> Stream<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize, bool ordered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(iterable);
        ValidateChunksize(chunksize);
        ThrowIfNotRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var function = _executor.Prepare(func, func, nameof(func));
        int size = chunksize ?? (iterable.TryGetNonEnumeratedCount(out int n) ? AutoChunksize(n) : 1);
        int window = (int)Math.Min(int.MaxValue / 2, Math.Max((long)size * Processes * 4, MinReadAhead));
        var job = new StreamJob<TResult>(ordered, window);
        _streams[job] = job.Fail;
        if (cancellationToken.CanBeCanceled)
        {
            job.CancelWith(cancellationToken, () => _executor.Cancel(job));
        }

        Interlocked.Increment(ref _activeFeeders);

        // One feeder thread per call reads the input, so that a slow or blocking input never holds up
        // the caller or the pool's I/O threads (Python's imap has a task-handler thread for the same).
        var feeder = new Thread(() => Feed(function, iterable, size, job)) { IsBackground = true, Name = "Multiprocessing imap feeder" };
        feeder.Start();
        return job;
    }

    private void Feed<T, TResult>(FunctionHandle<T, TResult> function, IEnumerable<T> source, int size, StreamJob<TResult> job)
    {
        try
        {
            using var e = source.GetEnumerator();
            long index = 0;
            while (job.WaitForWindow(size))
            {
                var buffer = new T[size];
                int count = 0;
                Exception? inputError = null;
                try
                {
                    while (count < size && e.MoveNext())
                    {
                        buffer[count++] = e.Current;
                    }
                }
#pragma warning disable CA1031 // The input's exception is handed to the consumer at that element.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    inputError = ex;
                }

                if (count > 0)
                {
                    if (count < size)
                    {
                        Array.Resize(ref buffer, count);
                    }

                    try
                    {
                        Submit([_executor.CreateChunk(function, buffer, job, index)], fromFeeder: true);
                    }
                    catch (ArgumentException ex)
                    {
                        job.FailChunk(index, count, ex);
                    }

                    index += count;
                }

                if (inputError is not null || count < size)
                {
                    job.InputDone(index, inputError);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            job.Fail(ex);
        }
        finally
        {
            _streams.TryRemove(job, out _);
            Interlocked.Decrement(ref _activeFeeders);
            CloseExecutorWhenFed();
        }
    }
}
