namespace Multiprocessing.Threading;

/// <summary><see cref="ITaskPool"/> for a task on a <see cref="ThreadedPool"/> thread: the pool itself.</summary>
internal sealed class LocalTaskPool(Func<PoolBase?> owner) : ITaskPool
{
    public Task<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default)
        => (owner() ?? throw new InvalidOperationException("The pool is not available.")).MapAsync(func, iterable, chunksize, cancellationToken: cancellationToken).AsTask();
}
