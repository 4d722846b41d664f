namespace Multiprocessing;

/// <summary>
/// A pool of workers that runs methods in parallel: Python's <c>multiprocessing.Pool</c> API in .NET.
/// Implemented by <see cref="Pool"/> (worker processes) and <see cref="ThreadedPool"/> (threads).
/// </summary>
/// <remarks>
/// This interface is the small core a backend implements: submitting one task, a chunked map over a list, and a
/// stream, each as a <see cref="PoolFunction{TArgs, TResult}"/>, plus the pool's lifecycle. Python's API — Apply,
/// ApplyAsync, Map, MapAsync, Starmap, StarmapAsync, Imap, ImapUnordered and their async-stream forms, for Func
/// and Action of 0 to 4 arguments and for async task functions — is written once over it, in
/// <see cref="PoolExtensions"/>.
/// </remarks>
public interface IPool : IDisposable, IAsyncDisposable
{
    /// <summary>The number of workers.</summary>
    int Processes { get; }

    /// <summary>Raised when a callback or error callback throws. The pool carries on; the result is unaffected.</summary>
    event EventHandler<CallbackFailedEventArgs>? CallbackFailed;

    /// <summary>Issues one task without waiting: the core of Apply and ApplyAsync.</summary>
    /// <include file='PoolDocs.xml' path='docs/core/*|docs/function/*|docs/callback/*|docs/token/*|docs/returnsApplyAsync/*|docs/issue/*|docs/cancelledAtCall/*'/>
    /// <param name="args">The task's argument set.</param>
    AsyncResult<TResult> Submit<TArgs, TResult>(PoolFunction<TArgs, TResult> function, TArgs args, Action<TResult>? callback, Action<Exception>? errorCallback, CancellationToken cancellationToken);

    /// <summary>Issues a task per item, in chunks, without waiting: the core of Map, MapAsync, Starmap and StarmapAsync.</summary>
    /// <include file='PoolDocs.xml' path='docs/core/*|docs/function/*|docs/items/*|docs/chunksize/*|docs/listCallback/*|docs/progress/*|docs/token/*|docs/returnsMapAsync/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    AsyncResult<IReadOnlyList<TResult>> SubmitMap<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IEnumerable<TArgs> iterable, int? chunksize, Action<IReadOnlyList<TResult>>? callback, Action<Exception>? errorCallback, IProgress<PoolProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Issues a task per item of a lazily read input: the core of Imap, ImapUnordered and their Async forms.</summary>
    /// <include file='PoolDocs.xml' path='docs/core/*|docs/function/*|docs/streamItems/*|docs/ordered/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    /// <returns>The results, in the order <paramref name="ordered"/> asks for.</returns>
    IResultStream<TResult> SubmitStream<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IEnumerable<TArgs> iterable, bool ordered, int? chunksize, IProgress<PoolProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Issues a task per item of an asynchronous input: the core of ImapAsync and ImapUnorderedAsync over an <see cref="IAsyncEnumerable{T}"/>.</summary>
    /// <include file='PoolDocs.xml' path='docs/core/*|docs/function/*|docs/asyncStreamItems/*|docs/ordered/*|docs/chunksize/*|docs/progress/*|docs/token/*|docs/issue/*|docs/chunked/*|docs/cancelledAtCall/*'/>
    /// <returns>The results, in the order <paramref name="ordered"/> asks for.</returns>
    IResultStream<TResult> SubmitStream<TArgs, TResult>(PoolFunction<TArgs, TResult> function, IAsyncEnumerable<TArgs> iterable, bool ordered, int? chunksize, IProgress<PoolProgress>? progress, CancellationToken cancellationToken);

    // Resize(int processes) joins the core here (issue 13, item 8).

    /// <summary>Stops accepting tasks; issued tasks finish and then the workers exit: Python's <c>close()</c>.</summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    void Close();

    /// <summary>
    /// Stops the workers at once (processes are killed) and fails every pending result promptly with
    /// <see cref="PoolTerminatedException"/>: Python's <c>terminate()</c>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    void Terminate();

    /// <summary>Waits for the workers to exit and the callbacks to run, after <see cref="Close"/> or <see cref="Terminate"/>.</summary>
    /// <exception cref="InvalidOperationException">The pool is still running (neither closed nor terminated).</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    void Join();

    /// <summary>
    /// Completes when the pool has shut down — after <see cref="Close"/> or <see cref="Terminate"/> (or disposal), once
    /// the workers have exited and the callbacks have run. It never completes while the pool is running.
    /// </summary>
    Task Completion { get; }

    /// <summary>Waits, without blocking the caller, for the workers to exit and the callbacks to run, after <see cref="Close"/> or <see cref="Terminate"/>.</summary>
    /// <param name="cancellationToken">Stops the wait (not the shutdown): the task fails with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes with <see cref="Completion"/>.</returns>
    /// <exception cref="InvalidOperationException">The pool is still running (neither closed nor terminated).</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    Task JoinAsync(CancellationToken cancellationToken = default);

    /// <summary>Waits at most <paramref name="timeout"/> for the workers to exit and the callbacks to run.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>True if everything finished in time.</returns>
    /// <exception cref="InvalidOperationException">The pool is still running (neither closed nor terminated).</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    bool Join(TimeSpan timeout);
}
