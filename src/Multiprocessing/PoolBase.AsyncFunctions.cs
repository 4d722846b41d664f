using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>
/// Task functions that are async (<c>Func&lt;T, Task&lt;TResult&gt;&gt;</c>, <c>Func&lt;T, ValueTask&lt;TResult&gt;&gt;</c>): the
/// worker awaits them, up to <see cref="PoolOptions.MaxConcurrencyPerWorker"/> of a chunk's tasks at once.
/// </content>
public abstract partial class PoolBase
{
    /// <inheritdoc />
    public IReadOnlyList<TResult> Map<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public IReadOnlyList<TResult> Map<T, TResult>(Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return Many(func, func is null ? null! : Invokers.FuncValueTask1(func), iterable, chunksize, null, null, progress, cancellationToken).Get();
    }

    /// <inheritdoc />
    public AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Many(func, func is null ? null! : Invokers.FuncTask1(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <inheritdoc />
    public IEnumerable<TResult> Imap<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Stream(func, func is null ? null! : Invokers.FuncTask1(func), iterable, chunksize, ordered: true, progress, cancellationToken);

    /// <inheritdoc />
    public IEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Stream(func, func is null ? null! : Invokers.FuncTask1(func), iterable, chunksize, ordered: false, progress, cancellationToken);

    /// <inheritdoc />
    public TResult Apply<T1, TResult>(Func<T1, Task<TResult>> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, Task<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.FuncTask1(func), arg1, callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, ValueTask<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.FuncValueTask1(func), arg1, callback, errorCallback, cancellationToken);
}
