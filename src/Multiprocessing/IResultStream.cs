namespace Multiprocessing;

/// <summary>
/// The results of a stream call (<c>Imap</c>, <c>ImapUnordered</c> and their <c>Async</c> forms), handed out as
/// they arrive, in input or completion order: enumerate it once, with <c>foreach</c> or <c>await foreach</c>.
/// A task's exception is thrown where its result would have been.
/// </summary>
/// <typeparam name="TResult">The result of one task.</typeparam>
#pragma warning disable CA1040 // The point of the type: one stream that is both kinds of enumerable, for every backend.
public interface IResultStream<out TResult> : IEnumerable<TResult>, IAsyncEnumerable<TResult>
#pragma warning restore CA1040
{
}
