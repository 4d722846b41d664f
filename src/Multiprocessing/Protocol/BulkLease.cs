namespace Multiprocessing.Protocol;

/// <summary>A hold on one frame read in place from a shared ring; disposing it lets the sender reuse the space.</summary>
internal sealed class BulkLease(BulkReceiver receiver, long end) : IDisposable
{
    private int _disposed;

    /// <summary>The ring position just after the frame.</summary>
    public long End { get; } = end;

    /// <summary>Under the receiver's lock.</summary>
    public bool Released { get; set; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            receiver.Release(this);
        }
    }
}
