namespace Multiprocessing.Managers.Server;

/// <summary>
/// Runs a wait on a shared-memory object for a socket client on a thread of its own (a futex wait blocks its
/// thread), so that the connection thread keeps reading cancels.
/// </summary>
internal static class SegmentWait
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(10);

    public static ValueTask<ManagerReply> OnThread(Func<ManagerReply> wait, CancellationToken disconnected) => new(Task.Factory.StartNew(
        () =>
        {
            try
            {
                return wait();
            }
            catch (OperationCanceledException)
            {
                return ManagerReply.Cancelled;
            }
            catch (ManagerConnectionException)
            {
                // The manager is closing: send nothing, let the socket close under the client, which then fails
                // the call with ManagerConnectionException as it does for the manager's own objects.
                disconnected.WaitHandle.WaitOne(s_closeTimeout);
                return ManagerReply.Cancelled;
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default));
}
