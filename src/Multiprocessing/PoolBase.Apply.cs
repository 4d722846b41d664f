using Multiprocessing.Dispatch;
using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Apply and ApplyAsync: one task, with 0 to 4 arguments.</content>
public abstract partial class PoolBase
{
    /// <inheritdoc />
    public TResult Apply<TResult>(Func<TResult> func, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public TResult Apply<T1, TResult>(Func<T1, TResult> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public TResult Apply<T1, T2, TResult>(Func<T1, T2, TResult> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public TResult Apply<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public TResult Apply<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        return ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public void Apply(Action func, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public void Apply<T1>(Action<T1> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public void Apply<T1, T2>(Action<T1, T2> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public void Apply<T1, T2, T3>(Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public void Apply<T1, T2, T3, T4>(Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = CallerWaitsScope.Enter();
        ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<TResult>(Func<TResult> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Func0(func), false, callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, TResult>(Func<T1, TResult> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func, arg1, callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(Func<T1, T2, TResult> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Func2(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Func3(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<TResult> ApplyAsync<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Func4(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<object?> ApplyAsync(Action func, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Action0(func), false, callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<object?> ApplyAsync<T1>(Action<T1> func, T1 arg1, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Action1(func), arg1, callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<object?> ApplyAsync<T1, T2>(Action<T1, T2> func, T1 arg1, T2 arg2, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Action2(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<object?> ApplyAsync<T1, T2, T3>(Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Action3(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <inheritdoc />
    public AsyncResult<object?> ApplyAsync<T1, T2, T3, T4>(Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => One(func, func is null ? null! : Invokers.Action4(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);

    /// <summary>
    /// True on a thread inside a blocking call (Apply, Map, Starmap) while it submits: the caller waits for the
    /// result and cannot change its arguments meanwhile, so large arrays among them may be read in place when
    /// the work is sent (out of band) instead of being copied at the call.
    /// </summary>
    internal static bool CallerWaits => t_callerWaits;

    [ThreadStatic]
    private static bool t_callerWaits;

    /// <summary>Marks this thread as inside a blocking call until disposed (restoring an outer mark).</summary>
    private readonly struct CallerWaitsScope : IDisposable
    {
        private readonly bool _outer;

        private CallerWaitsScope(bool outer) => _outer = outer;

        public static CallerWaitsScope Enter()
        {
            var scope = new CallerWaitsScope(t_callerWaits);
            t_callerWaits = true;
            return scope;
        }

        public void Dispose() => t_callerWaits = _outer;
    }

    private AsyncResult<TResult> One<TArgs, TResult>(Delegate func, Func<TArgs, TResult> invoke, TArgs args, Action<TResult>? callback, Action<Exception>? errorCallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ThrowIfNotRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var function = _executor.Prepare(func, invoke, nameof(func));
        var result = new AsyncResult<TResult>(_callbacks, callback, errorCallback);
        var job = new ListJob<TResult, TResult>(1, result, static r => r[0]);

        // Serialized before it is queued: an argument that cannot cross fails here, at the call.
        Chunk chunk = _executor.CreateChunk(function, [args], job, 0, oneCall: true);
        Trace(job, "Apply", func, 1);
        Submit([chunk]);
        WireCancellation(job, result, cancellationToken);
        return result;
    }
}
