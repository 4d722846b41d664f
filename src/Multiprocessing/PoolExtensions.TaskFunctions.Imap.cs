using System.Runtime.CompilerServices;
using Multiprocessing.Functions;

namespace Multiprocessing;

/// <content>Imap, ImapUnordered and their Async forms for async task functions (Task or ValueTask): the worker awaits them.</content>
public static partial class PoolExtensions
{
    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    [OverloadResolutionPriority(1)]
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, Task<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive: Python's <c>imap()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> Imap<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive: Python's <c>imap_unordered()</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IEnumerable<TResult> ImapUnordered<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of a lazily read input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/streamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input; the results in input order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsImap/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapAsync<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: true, chunksize, progress, cancellationToken);

    /// <summary>Applies the async <paramref name="func"/> to every item of an asynchronous input; the results in completion order as they arrive, for <c>await foreach</c>.</summary>
    /// <include file='PoolDocs.xml' path='docs/pool/*|docs/asyncFunc/*|docs/item/*|docs/asyncResult/*|docs/asyncStreamItems/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/returnsUnordered/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    public static IAsyncEnumerable<TResult> ImapUnorderedAsync<T, TResult>(this IPool pool, Func<T, ValueTask<TResult>> func, IAsyncEnumerable<T> iterable, int? chunksize = null, IProgress<PoolProgress>? progress = null, CancellationToken cancellationToken = default)
        => Core(pool).SubmitStream(PoolFunctions.OfValueTask(func), iterable, ordered: false, chunksize, progress, cancellationToken);
}
