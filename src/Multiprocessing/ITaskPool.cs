namespace Multiprocessing;

/// <summary>
/// The pool as seen from inside one of its tasks (<see cref="WorkerInfo.Pool"/>): issue follow-up tasks and
/// wait for them — the guide's "How Do You Issue Tasks From Within Tasks?". In a worker process the calls
/// travel to the parent over the worker's own connection; the parent runs them on the same pool. A worker
/// waiting for its follow-up tasks is given no other work meanwhile, and when every worker is waiting, the
/// pool starts one more (up to twice <see cref="IPool.Processes"/>) instead of deadlocking. The words mean what
/// they mean on <see cref="IPool"/>: a name without <c>Async</c> waits for the results; with it, the call returns at
/// once with the pending results; every call takes a <see cref="CancellationToken"/>, last.
/// </summary>
public interface ITaskPool
{
    /// <summary>Runs <paramref name="func"/> on every item in the pool and returns the results in input order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically.</param>
    /// <param name="cancellationToken">Cancels the wait (and, on a <see cref="ThreadedPool"/>, the call): the task fails with <see cref="OperationCanceledException"/>. Follow-up tasks already sent from a worker process to the parent still run there.</param>
    /// <returns>A task with the results.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call.</exception>
    Task<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> on every item in the pool and waits for the results.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically.</param>
    /// <param name="cancellationToken">Cancels the wait (and, on a <see cref="ThreadedPool"/>, the call): the task fails with <see cref="OperationCanceledException"/>. Follow-up tasks already sent from a worker process to the parent still run there.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled.</exception>
    IReadOnlyList<TResult> Map<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, CancellationToken cancellationToken = default)
        => MapAsync(func, iterable, chunksize, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Runs one follow-up task in the pool.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="cancellationToken">Cancels the wait (and, on a <see cref="ThreadedPool"/>, the call): the task fails with <see cref="OperationCanceledException"/>. Follow-up tasks already sent from a worker process to the parent still run there.</param>
    /// <returns>A task with the result.</returns>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call.</exception>
    async Task<TResult> ApplyAsync<T1, TResult>(Func<T1, TResult> func, T1 arg1, CancellationToken cancellationToken = default)
        => (await MapAsync(func, [arg1], 1, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Runs one follow-up task in the pool and waits for its result.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="cancellationToken">Cancels the wait (and, on a <see cref="ThreadedPool"/>, the call): the task fails with <see cref="OperationCanceledException"/>. Follow-up tasks already sent from a worker process to the parent still run there.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled.</exception>
    TResult Apply<T1, TResult>(Func<T1, TResult> func, T1 arg1, CancellationToken cancellationToken = default) => Map(func, [arg1], 1, cancellationToken)[0];
}
