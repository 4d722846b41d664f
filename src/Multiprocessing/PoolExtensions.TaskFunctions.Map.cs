using System.Runtime.CompilerServices;
using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Map, MapAsync, Starmap and StarmapAsync for async task functions (Task or ValueTask): the worker awaits them.</content>
public static partial class PoolExtensions
{
    /// <summary>Applies the async <paramref name="func"/> to every item and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async <paramref name="func"/> to every item without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async <paramref name="func"/> to every item without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfValueTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async two-argument <paramref name="func"/> to every pair and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/asyncResult/*|docs/pairs/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static IReadOnlyList<TResult> Starmap<T1, T2, TResult>(this IPool pool, Func<T1, T2, Task<TResult>> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async three-argument <paramref name="func"/> to every triple and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/asyncResult/*|docs/triples/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    [OverloadResolutionPriority(1)]
    public static IReadOnlyList<TResult> Starmap<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, Task<TResult>> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async two-argument <paramref name="func"/> to every pair without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/asyncResult/*|docs/pairs/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, Task<TResult>> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async three-argument <paramref name="func"/> to every triple without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/asyncResult/*|docs/triples/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, Task<TResult>> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async two-argument <paramref name="func"/> to every pair and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/asyncResult/*|docs/pairs/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Starmap<T1, T2, TResult>(this IPool pool, Func<T1, T2, ValueTask<TResult>> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async three-argument <paramref name="func"/> to every triple and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/asyncResult/*|docs/triples/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Starmap<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, ValueTask<TResult>> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies the async two-argument <paramref name="func"/> to every pair without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types2/*|docs/asyncResult/*|docs/pairs/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, ValueTask<TResult>> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfValueTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies the async three-argument <paramref name="func"/> to every triple without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/types3/*|docs/asyncResult/*|docs/triples/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, ValueTask<TResult>> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.OfValueTask(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);
}
