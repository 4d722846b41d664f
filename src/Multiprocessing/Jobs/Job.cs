namespace Multiprocessing.Jobs;

/// <summary>
/// What a group of chunks reports to: one Apply, one Map or one Imap. Executors call these from their
/// I/O threads, so implementations never block and never run user code inline.
/// </summary>
internal abstract class Job
{
    /// <summary>True once nobody wants further results (failed fast, cancelled, abandoned): chunks not yet
    /// started may be dropped.</summary>
    public abstract bool IsAbandoned { get; }

    /// <summary>The call's progress sink, if it has one.</summary>
    public ProgressReporter? Progress { get; init; }

    /// <summary>
    /// The pool that runs the job: held so that a pool is never collected while a result someone holds (or a
    /// chunk the executor holds) still needs it, as Python's results hold their pool.
    /// </summary>
    public PoolBase? Pool { get; set; }

    /// <summary>The call's trace span, when someone listens to the Multiprocessing activity source.</summary>
    public System.Diagnostics.Activity? Activity { get; set; }

    /// <summary>Counts settled items for the metrics and the progress sink.</summary>
    protected void CountSettled(int completed, int failed)
    {
        Diagnostics.PoolTelemetry.Settled(completed, failed);
        Progress?.OnItems(completed, failed);
    }

    /// <summary>The whole chunk <c>[start, start + count)</c> failed with <paramref name="error"/>.</summary>
    public abstract void FailChunk(long start, int count, Exception error);
}

/// <summary>What <see cref="AsyncResult{T}.Cancel"/> calls: the job behind the result.</summary>
internal interface ICancellableJob
{
    /// <summary>Cancels the job; true if this call did it, false if it had already finished.</summary>
    bool Cancel();
}

/// <summary>A job whose items produce <typeparamref name="TResult"/>.</summary>
internal abstract class Job<TResult> : Job
{
    /// <summary>
    /// The chunk starting at <paramref name="start"/> ran; <paramref name="results"/> has one slot per item
    /// (default where the item failed) and <paramref name="failures"/> names the items that threw.
    /// </summary>
    public abstract void CompleteChunk(long start, TResult[] results, IReadOnlyList<(int Offset, Exception Error)>? failures);

    /// <summary>
    /// Where the results of the <paramref name="count"/> items from <paramref name="start"/> may be read straight into,
    /// skipping the array <see cref="CompleteChunk"/> is given and its copy; empty when the job keeps no such array.
    /// </summary>
    public virtual Span<TResult> ResultsFor(long start, int count) => default;

    /// <summary>The chunk from <paramref name="start"/> ran and its results were read into <see cref="ResultsFor"/>.</summary>
    public virtual void CompleteChunkInPlace(long start, int count, IReadOnlyList<(int Offset, Exception Error)>? failures)
        => throw new NotSupportedException("This job keeps no results array.");
}
