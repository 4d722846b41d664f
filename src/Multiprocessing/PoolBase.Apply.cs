using Multiprocessing.Dispatch;
using Multiprocessing.Jobs;

namespace Multiprocessing;

/// <content>The core of Apply and ApplyAsync: one task.</content>
public abstract partial class PoolBase
{
    /// <inheritdoc />
    AsyncResult<TResult> IPool.Submit<TArgs, TResult>(PoolFunction<TArgs, TResult> function, TArgs args, Action<TResult>? callback, Action<Exception>? errorCallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return One(function.Delegate, function.Invoker, args, callback, errorCallback, cancellationToken);
    }

    /// <summary>
    /// True on a thread inside a blocking call (Apply, Map, Starmap) while it submits: the caller waits for the
    /// result and cannot change its arguments meanwhile, so large arrays among them may be read in place when
    /// the work is sent (out of band) instead of being copied at the call.
    /// </summary>
    internal static bool CallerWaits => t_callerWaits;

    [ThreadStatic]
    private static bool t_callerWaits;

    /// <summary>Marks this thread as inside a blocking call until disposed (restoring an outer mark).</summary>
    internal readonly struct CallerWaitsScope : IDisposable
    {
        private readonly bool _outer;

        private CallerWaitsScope(bool outer) => _outer = outer;

        public static CallerWaitsScope Enter()
        {
            var scope = new CallerWaitsScope(t_callerWaits);
            t_callerWaits = true;
            return scope;
        }

        public void Dispose() => t_callerWaits = _outer;
    }

    private AsyncResult<TResult> One<TArgs, TResult>(Delegate func, Func<TArgs, TResult> invoke, TArgs args, Action<TResult>? callback, Action<Exception>? errorCallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        ThrowIfNotRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var function = PrepareFunction(func, invoke, nameof(func));
        var result = new AsyncResult<TResult>(_callbacks, callback, errorCallback);
        var job = new ListJob<TResult, TResult>(1, result, static r => r[0]);

        // Serialized before it is queued: an argument that cannot cross fails here, at the call.
        Chunk chunk = NewChunk(function, [args], job, 0, oneCall: true);
        Trace(job, "Apply", func, 1);
        Submit([chunk]);
        WireCancellation(job, result, cancellationToken);
        return result;
    }
}
