using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>
/// The running chunk's token and the chunks cancelled before they started. The main thread begins and ends
/// chunks; the reader thread cancels them (the main thread is busy running the very task to stop).
/// </summary>
internal sealed class ChunkCancellation
{
    private readonly object _gate = new();
    private readonly HashSet<long> _cancelledBeforeStart = [];
    private long _running;
    private CancellationTokenSource? _source;

    /// <summary>Marks a chunk as running with a fresh token; false if it was cancelled before it started.</summary>
    public bool Begin(long chunkId)
    {
        lock (_gate)
        {
            if (_cancelledBeforeStart.Remove(chunkId))
            {
                return false;
            }

            _running = chunkId;
            _source = new CancellationTokenSource();
            CancellationTokenFormatter.Current = _source.Token;
            return true;
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _running = 0;
            _source?.Dispose();
            _source = null;
            CancellationTokenFormatter.Current = default;
        }
    }

    /// <summary>Trips the chunk's token if it is running, or remembers it so that it is skipped when it comes up.</summary>
    public void Cancel(long chunkId)
    {
        CancellationTokenSource? running;
        lock (_gate)
        {
            running = _running == chunkId ? _source : null;
            if (running is null)
            {
                _cancelledBeforeStart.Add(chunkId);
            }
        }

        // After the lock: Cancel runs the task's own token callbacks.
        try
        {
            running?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The chunk ended meanwhile: nothing is left to stop.
        }
    }
}
