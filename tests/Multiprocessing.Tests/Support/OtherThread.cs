namespace Multiprocessing.Tests.Support;

/// <summary>
/// Runs a delegate on a new, dedicated thread. Tests of thread-owned objects (an RLock's owner, a lock's
/// holder) must not use <c>Task.Run</c>: a thread that waits on the task may run it inline, so the
/// "other thread" would be the waiting thread itself. A thread started here can never be the caller.
/// </summary>
public static class OtherThread
{
    public static Task<T> Run<T>(Func<T> func)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(func());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "test: other thread",
        };
        thread.Start();
        return done.Task;
    }

    public static Task Run(Action action) => Run(() =>
    {
        action();
        return true;
    });

    /// <summary>Runs <paramref name="func"/> on another thread and returns its result, waiting at most <paramref name="timeout"/>.</summary>
    public static T Call<T>(Func<T> func, TimeSpan timeout)
    {
        var task = Run(func);
        if (!task.Wait(timeout))
        {
            throw new TimeoutException($"the other thread did not finish within {timeout}");
        }

        return task.Result;
    }
}
