namespace Multiprocessing;

/// <summary>
/// A pool of workers that runs methods in parallel: Python's <c>multiprocessing.Pool</c> API in .NET.
/// Implemented by <see cref="Pool"/> (worker processes) and <see cref="ThreadedPool"/> (threads).
/// </summary>
public interface IPool : IDisposable, IAsyncDisposable
{
    /// <summary>The number of workers.</summary>
    int Processes { get; }

    /// <summary>Raised when a callback or error callback throws. The pool carries on; the result is unaffected.</summary>
    event EventHandler<CallbackFailedEventArgs>? CallbackFailed;

    /// <summary>Runs <paramref name="func"/> in a worker and waits for its result: Python's <c>apply()</c>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    /// <exception cref="InvalidOperationException">The pool is closed.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    TResult Apply<TResult>(Func<TResult> func, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with one argument in a worker and waits for its result.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    TResult Apply<T1, TResult>(Func<T1, TResult> func, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker and waits for its result.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    TResult Apply<T1, T2, TResult>(Func<T1, T2, TResult> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker and waits for its result.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    TResult Apply<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with four arguments in a worker and waits for its result.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="T4">The fourth argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="arg4">The fourth argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    TResult Apply<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> in a worker and waits for it to finish.</summary>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    void Apply(Action func, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with one argument in a worker and waits for it to finish.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    void Apply<T1>(Action<T1> func, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker and waits for it to finish.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    void Apply<T1, T2>(Action<T1, T2> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker and waits for it to finish.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    void Apply<T1, T2, T3>(Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> with four arguments in a worker and waits for it to finish.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="T4">The fourth argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="arg4">The fourth argument.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    void Apply<T1, T2, T3, T4>(Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default);

    /// <summary>Issues <paramref name="func"/> without waiting: Python's <c>apply_async()</c>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="callback">Called once with the result, on the pool's callback thread.</param>
    /// <param name="errorCallback">Called once with the exception if the task fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<TResult>(Func<TResult> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="callback">Called once with the result, on the pool's callback thread.</param>
    /// <param name="errorCallback">Called once with the exception if the task fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, TResult> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="callback">Called once with the result, on the pool's callback thread.</param>
    /// <param name="errorCallback">Called once with the exception if the task fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(Func<T1, T2, TResult> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="callback">Called once with the result, on the pool's callback thread.</param>
    /// <param name="errorCallback">Called once with the exception if the task fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues <paramref name="func"/> with four arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="T4">The fourth argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="arg4">The fourth argument.</param>
    /// <param name="callback">Called once with the result, on the pool's callback thread.</param>
    /// <param name="errorCallback">Called once with the exception if the task fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues an action without waiting; its result is <see langword="null"/>, as Python's None.</summary>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="callback">Called once with null when it finishes.</param>
    /// <param name="errorCallback">Called once with the exception if it fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    AsyncResult<object?> ApplyAsync(Action func, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues an action with one argument without waiting.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="callback">Called once with null when it finishes.</param>
    /// <param name="errorCallback">Called once with the exception if it fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or the argument cannot be sent to a worker process.</exception>
    AsyncResult<object?> ApplyAsync<T1>(Action<T1> func, T1 arg1, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues an action with two arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="callback">Called once with null when it finishes.</param>
    /// <param name="errorCallback">Called once with the exception if it fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<object?> ApplyAsync<T1, T2>(Action<T1, T2> func, T1 arg1, T2 arg2, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues an action with three arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="callback">Called once with null when it finishes.</param>
    /// <param name="errorCallback">Called once with the exception if it fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<object?> ApplyAsync<T1, T2, T3>(Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Issues an action with four arguments without waiting.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="T4">The fourth argument type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="arg1">The first argument.</param>
    /// <param name="arg2">The second argument.</param>
    /// <param name="arg3">The third argument.</param>
    /// <param name="arg4">The fourth argument.</param>
    /// <param name="callback">Called once with null when it finishes.</param>
    /// <param name="errorCallback">Called once with the exception if it fails.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an argument cannot be sent to a worker process.</exception>
    AsyncResult<object?> ApplyAsync<T1, T2, T3, T4>(Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="func"/> to every item and returns the results in input order: Python's <c>map()</c>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items; read in full before tasks are issued, as Python does.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically: at most Python's <c>ceil(n / (4 × processes))</c> and 262,144, and about 10 ms of work per chunk once the function's cost is known.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is less than 1.</exception>
    IReadOnlyList<TResult> Map<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Issues a map without waiting: Python's <c>map_async()</c>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically.</param>
    /// <param name="callback">Called once with the whole list of results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending list of results.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="func"/> to every item and yields results in input order as they arrive:
    /// Python's <c>imap()</c>. The input is read lazily with bounded read-ahead, so it may be infinite.
    /// Tasks start at the call; the returned sequence can be enumerated once.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message to a worker; null means 1 for an input of unknown length.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IEnumerable<TResult> Imap<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>As <c>Imap</c> but yields results in completion order: Python's <c>imap_unordered()</c>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message to a worker; null means 1 for an input of unknown length.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in completion order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>Imap</c> as an asynchronous stream: <c>await foreach</c> yields results in input
    /// order without blocking a thread. The input is read lazily with bounded read-ahead.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message to a worker; null means automatic for a counted input, 1 otherwise.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call; <c>WithCancellation</c> on the result works too.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IAsyncEnumerable<TResult> ImapAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><c>ImapUnordered</c> as an asynchronous stream, in completion order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message to a worker; null means automatic for a counted input, 1 otherwise.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call; <c>WithCancellation</c> on the result works too.</param>
    /// <returns>The results, in completion order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Imap over an asynchronous input (read with <c>await</c>, lazily, with bounded read-ahead), as an asynchronous stream in input order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items, produced asynchronously.</param>
    /// <param name="chunksize">Items per message to a worker; null means 1.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call and the reading of the input.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IAsyncEnumerable<TResult> ImapAsync<T, TResult>(Func<T, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>ImapUnordered over an asynchronous input, as an asynchronous stream in completion order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The items, produced asynchronously.</param>
    /// <param name="chunksize">Items per message to a worker; null means 1.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call and the reading of the input.</param>
    /// <returns>The results, in completion order.</returns>
    /// <exception cref="ArgumentException">The delegate cannot run in a worker process.</exception>
    IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(Func<T, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Applies a two-argument <paramref name="func"/> to every pair: Python's <c>starmap()</c>.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The argument pairs.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IReadOnlyList<TResult> Starmap<T1, T2, TResult>(Func<T1, T2, TResult> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Applies a three-argument <paramref name="func"/> to every triple: Python's <c>starmap()</c>.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The argument triples.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IReadOnlyList<TResult> Starmap<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Issues a two-argument starmap without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The argument pairs.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically.</param>
    /// <param name="callback">Called once with the whole list of results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending list of results.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, TResult>(Func<T1, T2, TResult> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Issues a three-argument starmap without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <typeparam name="T1">The first argument type.</typeparam>
    /// <typeparam name="T2">The second argument type.</typeparam>
    /// <typeparam name="T3">The third argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">A static method or a lambda that captures nothing.</param>
    /// <param name="iterable">The argument triples.</param>
    /// <param name="chunksize">Items per message to a worker; null chooses automatically.</param>
    /// <param name="callback">Called once with the whole list of results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="progress">Receives <see cref="PoolProgress"/> reports (at most ten a second, and a final one); null for none.</param>
    /// <param name="cancellationToken">Cancels the call: tasks not yet started are dropped; a running task sees the token if its method takes one as its last parameter, and is stopped (its worker killed and replaced) after <see cref="PoolOptions.CancellationGracePeriod"/>. The result fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The pending list of results.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><see cref="Map{T, TResult}(Func{T, TResult}, IEnumerable{T}, int?, IProgress{PoolProgress}?, CancellationToken)"/> for an async task function.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically (at least MaxConcurrencyPerWorker).</param>
    /// <param name="progress">Receives progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IReadOnlyList<TResult> Map<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Map for a task function returning a ValueTask.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically (at least MaxConcurrencyPerWorker).</param>
    /// <param name="progress">Receives progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IReadOnlyList<TResult> Map<T, TResult>(Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>MapAsync for an async task function.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically (at least MaxConcurrencyPerWorker).</param>
    /// <param name="callback">Called once with the results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="progress">Receives progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending list of results.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Imap for an async task function.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically (at least MaxConcurrencyPerWorker).</param>
    /// <param name="progress">Receives progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, in input order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IEnumerable<TResult> Imap<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>ImapUnordered for an async task function.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="iterable">The items.</param>
    /// <param name="chunksize">Items per message; null chooses automatically (at least MaxConcurrencyPerWorker).</param>
    /// <param name="progress">Receives progress reports; null for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, in completion order.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    IEnumerable<TResult> ImapUnordered<T, TResult>(Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Apply for an async task function.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    TResult Apply<T1, TResult>(Func<T1, Task<TResult>> func, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>ApplyAsync for an async task function.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="callback">Called once with the results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, Task<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>ApplyAsync for a task function returning a ValueTask.</summary>
    /// <typeparam name="T1">The argument type.</typeparam>
    /// <typeparam name="TResult">The result the task produces.</typeparam>
    /// <param name="func">An async static method or a lambda that captures nothing; the worker awaits it.</param>
    /// <param name="arg1">The argument.</param>
    /// <param name="callback">Called once with the results.</param>
    /// <param name="errorCallback">Called once with the first exception if any task fails.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending result.</returns>
    /// <exception cref="ArgumentException">The delegate or an item cannot be sent to a worker process.</exception>
    AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, ValueTask<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default);

    /// <summary>Stops accepting tasks; issued tasks finish and then the workers exit: Python's <c>close()</c>.</summary>
    void Close();

    /// <summary>
    /// Stops the workers at once (processes are killed) and fails every pending result promptly with
    /// <see cref="PoolTerminatedException"/>: Python's <c>terminate()</c>.
    /// </summary>
    void Terminate();

    /// <summary>Waits for the workers to exit and the callbacks to run, after <see cref="Close"/> or <see cref="Terminate"/>.</summary>
    /// <exception cref="InvalidOperationException">The pool is still running (neither closed nor terminated).</exception>
    void Join();

    /// <summary>Waits at most <paramref name="timeout"/> for the workers to exit and the callbacks to run.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>True if everything finished in time.</returns>
    /// <exception cref="InvalidOperationException">The pool is still running (neither closed nor terminated).</exception>
    bool Join(TimeSpan timeout);
}
