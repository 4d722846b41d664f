using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Map, MapAsync, Starmap and StarmapAsync: a known list of items, results in input order.</content>
public static partial class PoolExtensions
{
    /// <summary>Applies <paramref name="func"/> to every item and waits for the results: Python's <c>map()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/items/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Map<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.MapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies <paramref name="func"/> to every item without waiting: Python's <c>map_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> MapAsync<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.Of(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies two-argument <paramref name="func"/> to every pair and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/result/*|docs/pairs/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Starmap<T1, T2, TResult>(this IPool pool, Func<T1, T2, TResult> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies three-argument <paramref name="func"/> to every triple and waits for the results: Python's <c>starmap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/result/*|docs/triples/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsMap/*|docs/issue/*|docs/chunked/*|docs/waits/*'/>
    public static IReadOnlyList<TResult> Starmap<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, TResult> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var waits = PoolBase.CallerWaitsScope.Enter();
        return pool.StarmapAsync(func, iterable, chunksize, progress: progress, cancellationToken: cancellationToken).Get();
    }

    /// <summary>Applies two-argument <paramref name="func"/> to every pair without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types2/*|docs/result/*|docs/pairs/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, TResult>(this IPool pool, Func<T1, T2, TResult> func, IEnumerable<(T1, T2)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.Of(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);

    /// <summary>Applies three-argument <paramref name="func"/> to every triple without waiting: Python's <c>starmap_async()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/types3/*|docs/result/*|docs/triples/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static AsyncResult<IReadOnlyList<TResult>> StarmapAsync<T1, T2, T3, TResult>(this IPool pool, Func<T1, T2, T3, TResult> func, IEnumerable<(T1, T2, T3)> iterable, int? chunksize = null, Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitMap(PoolFunctions.Of(func), iterable, chunksize, callback, errorCallback, progress, cancellationToken);
}
