using System.Runtime.CompilerServices;
using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Apply and ApplyAsync for async task functions (Task or ValueTask, 0 to 4 arguments): the worker awaits them.</content>
public static partial class PoolExtensions
{
    /// <summary>Runs the async <paramref name="func"/> in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<TResult>(this IPool pool, Func<Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<TResult>(this IPool pool, Func<ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with one argument in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, Task<TResult>> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with one argument in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, ValueTask<TResult>> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with two arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, Task<TResult>> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with two arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, ValueTask<TResult>> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with three arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with three arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with four arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types4/*|docs/args4/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs the async <paramref name="func"/> with four arguments in a worker and waits for the value its task produces.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types4/*|docs/args4/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, arg4, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Issues the async <paramref name="func"/> without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<Task<TResult>> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), false, callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<ValueTask<TResult>> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), false, callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with one argument without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, Task<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), arg1, callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with one argument without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, ValueTask<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), arg1, callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with two arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, Task<TResult>> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with two arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, ValueTask<TResult>> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with three arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with three arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with four arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types4/*|docs/args4/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);

    /// <summary>Issues the async <paramref name="func"/> with four arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types4/*|docs/args4/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);
}
