using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

/// <summary>
/// The running chunk's token, the chunks cancelled before they started and the chunks the parent took back
/// (revoked, to run on an idle worker). The main thread begins and ends chunks; the reader thread cancels and
/// revokes them (the main thread is busy running the very task to stop, or the one a revoked chunk waits behind).
/// </summary>
internal sealed class ChunkCancellation
{
    private readonly object _gate = new();
    private readonly HashSet<long> _cancelledBeforeStart = [];
    private readonly HashSet<long> _revoked = [];
    private long _running;

    /// <summary>The highest chunk id begun here: a chunk at or below it can no longer be revoked.</summary>
    private long _lastBegun;
    private CancellationTokenSource? _source;

    /// <summary>
    /// Marks a chunk as running with a fresh token; false if it was cancelled before it started, null if the
    /// parent revoked it (it runs elsewhere: nothing is sent for it).
    /// </summary>
    public bool? Begin(long chunkId)
    {
        lock (_gate)
        {
            // Count first: the usual chunk was neither, and a cold worker need not compile HashSet<long>.Remove for it.
            if (_revoked.Count > 0 && _revoked.Remove(chunkId))
            {
                return null;
            }

            if (_cancelledBeforeStart.Count > 0 && _cancelledBeforeStart.Remove(chunkId))
            {
                return false;
            }

            _running = chunkId;
            _lastBegun = Math.Max(_lastBegun, chunkId);
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

    /// <summary>
    /// True when the chunk has not begun, so it never will here. A chunk's id is higher than every chunk sent
    /// to this worker before it, so "not begun" is "above the highest begun"; a revoke that loses the race
    /// (the chunk began, or ran already) is refused and the chunk's result goes to the parent as usual.
    /// </summary>
    public bool Revoke(long chunkId)
    {
        lock (_gate)
        {
            return chunkId > _lastBegun && _revoked.Add(chunkId);
        }
    }
}
