using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;

namespace Multiprocessing;

/// <content>The core of Imap and ImapUnordered: a lazily read input, results handed out as they arrive.</content>
public abstract partial class PoolBase
{
    /// <summary>The least number of items Imap reads ahead of its consumer, for pipelining small items.</summary>
    private const int MinReadAhead = 1024;

    /// <summary>The most chunks a feeder gathers before submitting them together.</summary>
    private const int MaxChunksPerSubmit = 64;

    /// <summary>A feeder's first buffer for a chunk: it grows towards the chunksize only as the input has items.</summary>
    private const int FirstChunkBuffer = 4096;

    /// <inheritdoc />
    IResultStream<TResult> IPool.SubmitStream<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IEnumerable<TArgs> iterable, bool ordered, int? chunksize, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Stream(function.Delegate, function.Invoker, iterable, chunksize, ordered, progress, cancellationToken);
    }

    /// <inheritdoc />
    IResultStream<TResult> IPool.SubmitStream<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IAsyncEnumerable<TArgs> iterable, bool ordered, int? chunksize, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return StreamAsync(function.Delegate, function.Invoker, iterable, chunksize, ordered, progress, cancellationToken);
    }

    private StreamJob<TResult> StreamAsync<T, TResult>(Delegate func, Func<T, TResult> invoke, IAsyncEnumerable<T> iterable, int? chunksize, bool ordered, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(iterable);
        ValidateChunksize(chunksize);
        var (function, size, job) = StartStream(func, invoke, _ => chunksize ?? 1, ordered, progress, cancellationToken);
        _ = FeedAsync(function, iterable, size, job, cancellationToken);
        return job;
    }

    private (FunctionHandle<T, TResult> Function, int Size, StreamJob<TResult> Job) StartStream<T, TResult>(Delegate func, Func<T, TResult> invoke, Func<FunctionHandle<T, TResult>, int> sizeOf, bool ordered, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ThrowIfNotRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var function = PrepareFunction(func, invoke, nameof(func));
        int size = sizeOf(function);
        int window = (int)Math.Min(int.MaxValue / 2, Math.Max((long)size * Processes * 4, MinReadAhead));
        StreamJob<TResult>? created = null;
        var job = created = new StreamJob<TResult>(ordered, window)
        {
            Progress = progress is null ? null : new ProgressReporter(progress, null, Options.TimeProvider, OnProgressFailed),
            OnAbandoned = () => _executor.Cancel(created!),
        };
        _streams[job] = job.Fail;
        if (cancellationToken.CanBeCanceled)
        {
            job.CancelWith(cancellationToken, () => _executor.Cancel(job));
        }

        Trace(job, ordered ? "Imap" : "ImapUnordered", func, null);
        Interlocked.Increment(ref _activeFeeders);
        return (function, size, job);
    }

    /// <summary>The feeder for an asynchronous input: the same as <see cref="Feed"/>, awaiting instead of blocking.</summary>
    private async Task FeedAsync<T, TResult>(FunctionHandle<T, TResult> function, IAsyncEnumerable<T> source, int size, StreamJob<TResult> job, CancellationToken cancellationToken)
    {
        try
        {
            var e = source.GetAsyncEnumerator(cancellationToken);
            await using var disposing = e.ConfigureAwait(false); // disposed off the caller's context too
            long index = 0;
            while (true)
            {
                if (!await job.WaitForWindowAsync(size).ConfigureAwait(false))
                {
                    job.EndInputIfStopped(index);
                    return;
                }

                var buffer = new T[Math.Min(size, FirstChunkBuffer)];
                int count = 0;
                Exception? inputError = null;
                try
                {
                    while (count < size && await e.MoveNextAsync().ConfigureAwait(false))
                    {
                        GrowIfFull(ref buffer, count, size);
                        buffer[count++] = e.Current;
                    }
                }
#pragma warning disable CA1031 // The input's exception is handed to the consumer at that element.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    inputError = ex;
                }

                if (!Issue(function, buffer, count, size, job, ref index, inputError))
                {
                    return;
                }
            }
        }
#pragma warning disable CA1031 // Whatever ends the feeder fails the call: its consumer must never wait for a feeder that is gone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            job.Fail(ex);
        }
        finally
        {
            FeederDone(job);
        }
    }

    private StreamJob<TResult> Stream<T, TResult>(Delegate func, Func<T, TResult> invoke, IEnumerable<T> iterable, int? chunksize, bool ordered, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(iterable);
        ValidateChunksize(chunksize);
        int counted = iterable.TryGetNonEnumeratedCount(out int n) ? n : -1;
        var (function, size, job) = StartStream(func, invoke, f => chunksize ?? (counted >= 0 ? AutoChunksize(counted, f) : 1), ordered, progress, cancellationToken);
        Func<(int Size, int? Window)>? adaptive = chunksize is null && counted >= 0 && _executor.MeasuresTaskCost && !IsAsyncTaskFunction(function.User)
            ? () => AdaptiveStreamChunk(counted, function)
            : null;

        // One feeder thread per call reads the input, so that a slow or blocking input never holds up
        // the caller or the pool's I/O threads (Python's imap has a task-handler thread for the same).
        var feeder = new Thread(() => Feed(function, iterable, size, job, adaptive, counted)) { IsBackground = true, Name = "Multiprocessing imap feeder" };
        feeder.Start();
        return job;
    }

    /// <summary>
    /// The automatic chunks of Imap and ImapUnordered over an input of known length: one item each (Python's
    /// default, so the first result comes after one task, and uneven tasks balance) while the function's cost
    /// per task is unknown, with at most the minimum read-ahead (1,024 items) meanwhile, so that a cheap function
    /// is measured before thousands of one-item chunks are queued; once warm runs have measured
    /// it, the automatic size (about 10 ms of work, at most Python's rule for that length), so cheap tasks
    /// travel in large chunks as in Map.
    /// </summary>
    internal (int Size, int? Window) AdaptiveStreamChunk<T, TResult>(int count, FunctionHandle<T, TResult> function)
    {
        int size = AutoChunksize(count, function, out bool measured);
        return measured ? (size, null) : (1, MinReadAhead);
    }

    /// <param name="function">The function.</param>
    /// <param name="source">The input.</param>
    /// <param name="size">Items per chunk (the most, when <paramref name="adaptive"/> is given).</param>
    /// <param name="job">The call's results.</param>
    /// <param name="adaptive">When given, each chunk's size and the read-ahead it may use, asked afresh per chunk.</param>
    /// <param name="counted">The input's length when known in advance, else -1.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Feed<T, TResult>(FunctionHandle<T, TResult> function, IEnumerable<T> source, int size, StreamJob<TResult> job, Func<(int Size, int? Window)>? adaptive, int counted)
    {
        int most = size;
        var pending = new List<Chunk>();
        try
        {
            using var e = source.GetEnumerator();
            long index = 0;
            while (true)
            {
                // Chunks go out in groups while the window has room (one dispatch, one write per worker),
                // and the group is flushed before the feeder would block, so nothing waits on unsent work.
                if (pending.Count >= MaxChunksPerSubmit)
                {
                    Flush(pending);
                }

                if (index == counted)
                {
                    // A known length ending on a chunk's edge is done: no window to wait for an empty last chunk
                    // (after Join that wait would cut an input that was read to its end).
                    job.InputDone(index, null);
                    Flush(pending);
                    return;
                }

                int? window = null;
                if (adaptive is not null)
                {
                    (size, window) = adaptive();
                    size = Math.Min(size, most);
                }

                if (!job.TryReserveWindow(size, window))
                {
                    Flush(pending);
                    if (!job.WaitForWindow(size, window))
                    {
                        job.EndInputIfStopped(index);
                        return;
                    }
                }

                var buffer = new T[Math.Min(size, FirstChunkBuffer)];
                int count = 0;
                Exception? inputError = null;
                try
                {
                    while (count < size && e.MoveNext())
                    {
                        GrowIfFull(ref buffer, count, size);
                        buffer[count++] = e.Current;
                    }
                }
#pragma warning disable CA1031 // The input's exception is handed to the consumer at that element.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    inputError = ex;
                }

                if (!Issue(function, buffer, count, size, job, ref index, inputError, pending))
                {
                    Flush(pending);
                    return;
                }
            }
        }
#pragma warning disable CA1031 // Whatever ends the feeder fails the call: its consumer must never wait for a feeder that is gone.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            job.Fail(ex);
        }
        finally
        {
            FeederDone(job);
        }
    }

    private void Flush(List<Chunk> pending)
    {
        if (pending.Count > 0)
        {
            Submit([.. pending], fromFeeder: true);
            pending.Clear();
        }
    }

    /// <summary>Issues the items read so far as one chunk; false when the input has ended (or threw).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool Issue<T, TResult>(FunctionHandle<T, TResult> function, T[] buffer, int count, int size, StreamJob<TResult> job, ref long index, Exception? inputError, List<Chunk>? pending = null)
    {
        bool ended = count < size;
        if (count > 0)
        {
            if (count < buffer.Length)
            {
                Array.Resize(ref buffer, count);
            }

            try
            {
                var chunk = NewChunk(function, buffer, job, index);
                if (pending is null)
                {
                    Submit([chunk], fromFeeder: true);
                }
                else
                {
                    pending.Add(chunk);
                }
            }
            catch (ArgumentException ex)
            {
                job.FailChunk(index, count, ex);
            }

            index += count;
        }

        if (inputError is not null || ended)
        {
            job.InputDone(index, inputError);
            return false;
        }

        return true;
    }

    /// <summary>Doubles a full chunk buffer, up to the chunksize: memory follows what was read, not what was asked for.</summary>
    private static void GrowIfFull<T>(ref T[] buffer, int count, int size)
    {
        if (count == buffer.Length)
        {
            Array.Resize(ref buffer, (int)Math.Min(size, 2L * buffer.Length));
        }
    }

    private void FeederDone(object job)
    {
        _streams.TryRemove(job, out _);
        Interlocked.Decrement(ref _activeFeeders);
        CloseExecutorWhenFed();
    }
}
