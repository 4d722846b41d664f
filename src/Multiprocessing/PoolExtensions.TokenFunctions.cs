using System.Runtime.CompilerServices;
using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Task functions whose last parameter is a <see cref="CancellationToken"/> that the pool supplies (no dummy argument): Apply and ApplyAsync with 0 to 3 arguments before it, Map, MapAsync, Imap, ImapUnordered and their Async forms with one; each also for async task functions.</content>
public static partial class PoolExtensions
{
    /// <summary>Runs <paramref name="func"/> in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<TResult>(this IPool pool, Func<CancellationToken, TResult> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with one argument in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types1/*|docs/args1/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, CancellationToken, TResult> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types2/*|docs/args2/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, TResult> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types3/*|docs/args3/*|docs/result/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, TResult> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<TResult>(this IPool pool, Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with one argument in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, CancellationToken, Task<TResult>> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, Task<TResult>> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<TResult>(this IPool pool, Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with one argument in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, TResult>(this IPool pool, Func<T1, CancellationToken, ValueTask<TResult>> func, T1 arg1, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with two arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, ValueTask<TResult>> func, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Runs <paramref name="func"/> with three arguments in a worker, passing it the pool's cancellation token as its last argument, and waits for its result.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/token/*|docs/returnsApply/*|docs/issue/*|docs/waits/*'/>
    public static TResult Apply<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.ApplyAsync(func, arg1, arg2, arg3, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Issues <paramref name="func"/> without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<CancellationToken, TResult> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), cancellationToken, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types1/*|docs/args1/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, CancellationToken, TResult> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types2/*|docs/args2/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, TResult> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/types3/*|docs/args3/*|docs/result/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, TResult> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.Of(func), (arg1, arg2, arg3, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<CancellationToken, Task<TResult>> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), cancellationToken, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, CancellationToken, Task<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, Task<TResult>> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, arg2, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, Task<TResult>> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfTask(func), (arg1, arg2, arg3, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<TResult>(this IPool pool, Func<CancellationToken, ValueTask<TResult>> func, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), cancellationToken, callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with one argument without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types1/*|docs/args1/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, TResult>(this IPool pool, Func<T1, CancellationToken, ValueTask<TResult>> func, T1 arg1, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with two arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types2/*|docs/args2/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, CancellationToken, ValueTask<TResult>> func, T1 arg1, T2 arg2, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, arg2, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Issues <paramref name="func"/> with three arguments without waiting, passing it the pool's cancellation token as its last argument.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/types3/*|docs/args3/*|docs/asyncResult/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<TResult> ApplyAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> func, T1 arg1, T2 arg2, T3 arg3, Action<TResult>? callback = null, Action<Exception>? errorCallback = null, CancellationToken cancellationToken = default)
        => Core(pool).Submit(PoolFunctions.OfValueTask(func), (arg1, arg2, arg3, cancellationToken), callback, errorCallback, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async <paramref name="func"/> to every item, passing it the pool's cancellation token as its last argument, without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/tokenFunc/*|docs/item/*|docs/result/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, Task<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input, passing it the pool's cancellation token as its last argument; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncTokenFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, CancellationToken, ValueTask<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), WithToken(iterable, cancellationToken), ordered: false, chunksize, progress, cancellationToken);
}
