using Multiprocessing.Serialization;
using Multiprocessing.Worker;

namespace Multiprocessing.Tests.Worker;

/// <summary>A worker's cancellation of the chunk it runs, or of one it has not started, without a process.</summary>
public sealed class ChunkCancellationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Cancel_BeforeBegin_SkipsThatChunkOnce()
    {
        var cancellation = new ChunkCancellation();
        cancellation.Cancel(5);

        Assert.False(cancellation.Begin(5));
        Assert.True(cancellation.Begin(6));
        cancellation.End();
        Assert.True(cancellation.Begin(5));
        cancellation.End();
    }

    [Fact]
    public void Cancel_WhileRunning_TripsTheTokenTasksAreGiven()
    {
        var cancellation = new ChunkCancellation();
        Assert.True(cancellation.Begin(3));
        var token = CancellationTokenFormatter.Current;
        Assert.True(token.CanBeCanceled);
        Assert.False(token.IsCancellationRequested);

        cancellation.Cancel(3);

        Assert.True(token.IsCancellationRequested);
        cancellation.End();
        Assert.False(CancellationTokenFormatter.Current.CanBeCanceled);
    }

    [Fact]
    public void Cancel_TokenCallback_RunsOutsideTheLock()
    {
        var cancellation = new ChunkCancellation();
        Assert.True(cancellation.Begin(3));
        bool otherThreadGotThrough = false;
        using var registration = CancellationTokenFormatter.Current.Register(() =>
            otherThreadGotThrough = Task.Run(() => cancellation.Cancel(4)).Wait(Timeout));

        cancellation.Cancel(3);

        Assert.True(otherThreadGotThrough);
        cancellation.End();
    }

    [Fact]
    public void Revoke_BeforeBegin_IsGrantedAndTheChunkIsSkippedWithoutAFrame()
    {
        var cancellation = new ChunkCancellation();
        Assert.True(cancellation.Begin(1));
        cancellation.End();

        Assert.True(cancellation.Revoke(3));
        Assert.False(cancellation.Revoke(3));

        Assert.True(cancellation.Begin(2));
        cancellation.End();
        Assert.Null(cancellation.Begin(3));
        Assert.True(cancellation.Begin(4));
        cancellation.End();
    }

    [Fact]
    public void Revoke_OfABegunOrFinishedChunk_IsRefused()
    {
        var cancellation = new ChunkCancellation();
        Assert.True(cancellation.Begin(7));
        Assert.False(cancellation.Revoke(7));
        cancellation.End();
        Assert.False(cancellation.Revoke(7));
        Assert.False(cancellation.Revoke(6));
        Assert.True(cancellation.Revoke(8));
    }
}
