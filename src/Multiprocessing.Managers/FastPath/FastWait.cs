namespace Multiprocessing.Managers.FastPath;

/// <summary>
/// Runs a fast-path wait for an async caller on a thread of its own (a futex wait blocks its thread), so
/// that no thread-pool thread is held while a lock or queue is waited for. Only waits get here: an async
/// call first tries without waiting, on the caller's thread.
/// </summary>
internal static class FastWait
{
    public static Task<TResult> OnOwnThread<TResult>(Func<TResult> wait) =>
        Task.Factory.StartNew(wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
