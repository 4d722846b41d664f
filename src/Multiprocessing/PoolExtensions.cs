namespace Multiprocessing;

/// <summary>
/// Python's pool API over the small core of <see cref="IPool"/>, written once for every backend: Apply and
/// ApplyAsync for Func and Action of 0 to 4 arguments, Map, MapAsync, Starmap, StarmapAsync, Imap, ImapUnordered
/// and their async-stream forms, each also for async task functions (Task and ValueTask). A backend implements only
/// the core; these methods adapt the caller's delegate to its one shape (<see cref="PoolFunction{TArgs, TResult}"/>)
/// and, for the blocking forms, wait for the result.
/// </summary>
/// <remarks>
/// An async lambda converts to both a Task and a ValueTask function; the Task forms carry
/// <see cref="System.Runtime.CompilerServices.OverloadResolutionPriorityAttribute"/> so that such a call is not
/// ambiguous (a method group returning ValueTask still binds to the ValueTask form).
/// </remarks>
public static partial class PoolExtensions
{
    private static IPool Core(IPool pool) => pool ?? throw new ArgumentNullException(nameof(pool));

    /// <summary>
    /// Each item with the call's token beside it, for a task function whose last parameter is a token. In a worker
    /// process the token is replaced by the worker's own as the item is read (it travels as nothing); on threads
    /// the task gets the call's token itself.
    /// </summary>
    private static IEnumerable<(T, CancellationToken)> WithToken<T>(IEnumerable<T> iterable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return iterable.Select(item => (item, cancellationToken));
    }

    /// <summary>As <see cref="WithToken{T}(IEnumerable{T}, CancellationToken)"/>, for an asynchronous input.</summary>
    private static IAsyncEnumerable<(T, CancellationToken)> WithToken<T>(IAsyncEnumerable<T> iterable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return Pair(iterable, cancellationToken);

        static async IAsyncEnumerable<(T, CancellationToken)> Pair(IAsyncEnumerable<T> source, CancellationToken token, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken reading = default)
        {
            await foreach (T item in source.WithCancellation(reading).ConfigureAwait(false))
            {
                yield return (item, token);
            }
        }
    }
}
