using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Imap, ImapUnordered and their Async forms: a lazily read input, results as they arrive.</content>
public static partial class PoolExtensions
{
    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, TResult> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of an asynchronous input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies <paramref name="func"/> to every item of an asynchronous input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/func/*|docs/item/*|docs/result/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, TResult> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.Of(func), iterable, ordered: false, chunksize, progress, cancellationToken);
}
