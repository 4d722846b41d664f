using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>ApplyAsync: issue one task of 0 to 4 arguments without waiting (Python's <c>apply_async()</c>).</content>
public static partial class PoolExtensions
{
    /// <summary>Issues <paramref name="func"/> without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<TResult> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), false, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types1/*|docs/args1/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, TResult> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), arg1, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/args2/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, TResult> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/args3/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, TResult> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with four arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types4/*|docs/args4/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, T4, TResult>(this IPool pool, Func<T1, T2, T3, T4, TResult> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<object?> ApplyAsync(this IPool pool, Action func, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), false, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types1/*|docs/args1/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<object?> ApplyAsync<T1>(this IPool pool, Action<T1> func, T1 arg1, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), arg1, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/args2/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<object?> ApplyAsync<T1, T2>(this IPool pool, Action<T1, T2> func, T1 arg1, T2 arg2, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/args3/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<object?> ApplyAsync<T1, T2, T3>(this IPool pool, Action<T1, T2, T3> func, T1 arg1, T2 arg2, T3 arg3, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, arg3), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with four arguments without waiting: Python's <c>apply_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types4/*|docs/args4/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<object?> ApplyAsync<T1, T2, T3, T4>(this IPool pool, Action<T1, T2, T3, T4> func, T1 arg1, T2 arg2, T3 arg3, T4 arg4, Action<object?>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, arg3, arg4), callback, errorCallback, cancellationToken);
}
