using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;

namespace Multiprocessing;

/// <content>The core of Map, MapAsync, Starmap and StarmapAsync: a known list of items, results in input order.</content>
public abstract partial class PoolBase
{
    /// <inheritdoc />
    AsyncResult<IReadOnlyList<TResult>> IPool.SubmitMap<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IEnumerable<TArgs> iterable, int? chunksize, Action<IReadOnlyList<TResult>>? callback, Action<Exception>? errorCallback, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Many(function.Delegate, function.Invoker, iterable, chunksize, callback, errorCallback, progress, cancellationToken);
    }

    private AsyncResult<IReadOnlyList<TResult>> Many<TArgs, TResult>(Delegate func, Func<TArgs, TResult> invoke, IEnumerable<TArgs> iterable, int? chunksize, Action<IReadOnlyList<TResult>>? callback, Action<Exception>? errorCallback, IProgress<PoolProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ArgumentNullException.ThrowIfNull(iterable);
        ValidateChunksize(chunksize);
        ThrowIfNotRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var function = PrepareFunction(func, invoke, nameof(func));

        // Python's map reads the whole input first too: the length decides the chunk size.
        TArgs[] items = iterable as TArgs[] ?? [.. iterable];
        var result = new AsyncResult<IReadOnlyList<TResult>>(_callbacks, callback, errorCallback);
        var job = new ListJob<TResult, IReadOnlyList<TResult>>(items.Length, result, static r => r)
        {
            Progress = progress is null ? null : new ProgressReporter(progress, items.Length, Options.TimeProvider, OnProgressFailed),
        };
        if (items.Length == 0)
        {
            return result;
        }

        var chunks = CutIntoChunks(function, items, chunksize, job, mayKeepItems: !ReferenceEquals(items, iterable));
        Trace(job, "Map", func, items.Length);
        Submit(chunks);
        WireCancellation(job, result, cancellationToken);
        return result;
    }

    /// <summary>
    /// A known list cut into chunks (a Map's, or a task's follow-up Map): <paramref name="chunksize"/>, or the
    /// automatic size, guided while the function's cost is unknown. Every chunk is made (serialized) before any is
    /// queued: bad input throws here and nothing runs. When <paramref name="mayKeepItems"/> is false, items is the
    /// caller's own array, which a chunk must not hold.
    /// </summary>
    internal List<Chunk> CutIntoChunks<TArgs, TResult>(FunctionHandle<TArgs, TResult> function, TArgs[] items, int? chunksize, Job<TResult> job, bool mayKeepItems)
    {
        bool measured = false;
        int size = chunksize ?? AutoChunksize(items.Length, function, out measured);

        // A chunksize past the input is one chunk of the input (and must not overflow the chunk count below).
        size = Math.Min(size, Math.Max(1, items.Length));

        // While the function's cost per task is unknown, automatic chunks shrink towards the end (GuidedChunk).
        // Once it is measured a chunk holds ~10 ms of work at most, so a last chunk cannot keep the other
        // workers waiting long, and shrinking would only add per-chunk costs for cheap tasks.
        bool guided = chunksize is null && !measured;
        var chunks = new List<Chunk>((items.Length + size - 1) / size);
        int start = 0;
        while (start < items.Length)
        {
            int count = Math.Min(items.Length - start, guided ? GuidedChunk(items.Length - start, size) : size);
            TArgs[] slice = start == 0 && count == items.Length && mayKeepItems ? items : items[start..(start + count)];
            chunks.Add(NewChunk(function, slice, job, start));
            start += count;
        }

        return chunks;
    }

    /// <summary>
    /// The automatic chunks of a Map shrink towards the end (OpenMP's "guided" schedule): each is the rest
    /// divided by 4 × processes, between an eighth of the automatic size and the automatic size. Large chunks
    /// at the start keep per-chunk costs low; small ones at the end keep workers from idling while one finishes
    /// a big last chunk.
    /// </summary>
    internal int GuidedChunk(int remaining, int size)
    {
        int floor = Math.Max(1, size / 8);
        return Math.Clamp(remaining / (4 * Processes), floor, size);
    }
}
