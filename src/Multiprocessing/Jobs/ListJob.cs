using Multiprocessing.Dispatch;

namespace Multiprocessing.Jobs;

/// <summary>
/// A job of a known number of items whose results are gathered in input order and delivered at once
/// (Apply, Map, Starmap and their async forms). It fails as soon as one item fails and drops the chunks not
/// yet run; CPython's MapResult is ready only once every chunk is back.
/// </summary>
internal sealed class ListJob<TResult, TOut> : Job<TResult>, ICancellableJob
{
    private readonly TResult[] _results;
    private readonly AsyncResult<TOut> _result;
    private readonly Func<TResult[], TOut> _project;
    private int _remaining;
    private int _finished;
    private int _cancelled;
    private Executor? _executor;
    private CancellationToken _token;

    public ListJob(int count, AsyncResult<TOut> result, Func<TResult[], TOut> project)
    {
        _results = count == 0 ? [] : new TResult[count];
        _remaining = count;
        _result = result;
        _project = project;
        if (count == 0)
        {
            Finish(null);
        }
    }

    public override bool IsAbandoned => Volatile.Read(ref _finished) != 0;

    /// <summary>The cancellation token's registration, disposed when the job finishes.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>
    /// Makes this job its result's canceller: a cancel fails it with <paramref name="token"/> and has
    /// <paramref name="executor"/> drop or stop its chunks. (Fields here rather than a closure per call.)
    /// </summary>
    public void CancelThrough(Executor executor, CancellationToken token)
    {
        _executor = executor;
        _token = token;
        _result.SetCanceller(this);
    }

    bool ICancellableJob.Cancel()
    {
        if (!Cancel(_token))
        {
            return false;
        }

        _executor?.Cancel(this);
        return true;
    }

    /// <summary>Fails the job with <see cref="OperationCanceledException"/>; false if it had already finished.</summary>
    public bool Cancel(CancellationToken token)
    {
        bool wasRunning = Volatile.Read(ref _finished) == 0;
        Finish(new OperationCanceledException("The task was cancelled.", token));
        return wasRunning && _result.IsReady && !_result.IsSuccessful && Volatile.Read(ref _cancelled) == 1;
    }

    public override void CompleteChunk(long start, TResult[] results, IReadOnlyList<(int Offset, Exception Error)>? failures)
    {
        if (failures is not { Count: > 0 })
        {
            results.AsSpan().CopyTo(_results.AsSpan(checked((int)start)));
        }

        CompleteChunkInPlace(start, results.Length, failures);
    }

    /// <summary>A chunk's slice of the results array: each chunk is delivered once, into its own slice.</summary>
    public override Span<TResult> ResultsFor(long start, int count)
        => start >= 0 && count > 0 && start + count <= _results.Length ? _results.AsSpan((int)start, count) : default;

    public override void CompleteChunkInPlace(long start, int count, IReadOnlyList<(int Offset, Exception Error)>? failures)
    {
        CountSettled(count - (failures?.Count ?? 0), failures?.Count ?? 0);
        if (failures is { Count: > 0 })
        {
            Finish(failures.MinBy(f => f.Offset).Error);
            return;
        }

        if (Interlocked.Add(ref _remaining, -count) == 0)
        {
            Finish(null);
        }
    }

    public override void FailChunk(long start, int count, Exception error)
    {
        CountSettled(0, count);
        Finish(error);
    }

    /// <summary>Fails the job from outside (bad input met while issuing, pool terminated).</summary>
    public void Fail(Exception error) => Finish(error);

    private void Finish(Exception? error)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        Registration.Dispose();
        Progress?.Final();
        if (Activity is { } activity)
        {
            activity.SetStatus(error is null ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error, error?.Message);
            activity.Stop();
        }
        if (error is OperationCanceledException and not PoolTerminatedException)
        {
            Volatile.Write(ref _cancelled, 1);
        }

        if (error is null)
        {
            TOut value;
            try
            {
                value = _project(_results);
            }
            catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException)
            {
                _result.TrySetException(ex);
                return;
            }

            _result.TrySetResult(value);
        }
        else
        {
            _result.TrySetException(error);
        }

    }
}
