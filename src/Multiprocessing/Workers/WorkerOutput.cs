using System.Diagnostics;
using Multiprocessing.Protocol;

namespace Multiprocessing.Workers;

/// <summary>
/// A worker's writes to the parent. Results are batched while more work is queued (many results per
/// write), but never held back for long: a flusher thread sends anything that has waited
/// <see cref="MaxDelay"/>, so a quick result is not stuck behind a slow task that follows it in the same
/// worker (an ImapUnordered consumer waiting for "the first result" sees it at once). One lock orders all
/// writes, because a task's thread also writes (follow-up task requests).
/// </summary>
internal sealed class WorkerOutput
{
    private const int FlushThreshold = 256 * 1024;

    private static readonly long s_maxDelayTicks = Stopwatch.Frequency / 1000;

    private readonly object _gate = new();
    private readonly Stream _stream;
    private readonly PooledBufferWriter _pending = new();
    private readonly AutoResetEvent _armed = new(false);
    private long _pendingSince;

    public WorkerOutput(Stream stream)
    {
        _stream = stream;
        new Thread(FlushLoop) { IsBackground = true, Name = "Multiprocessing worker flusher" }.Start();
    }

    /// <summary>The maximum time a finished result waits in the batch.</summary>
    public static TimeSpan MaxDelay => TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Queues complete frames for a later write when <paramref name="moreWorkQueued"/> (they will share it with
    /// the next results), or writes them now with anything waiting; clears <paramref name="frames"/>.
    /// </summary>
    public void Add(PooledBufferWriter frames, bool moreWorkQueued)
    {
        if (frames.WrittenCount == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (!moreWorkQueued || frames.WrittenCount >= FlushThreshold)
            {
                // Nothing else to do, or large: no copy into the batch, it goes out now, after what was waiting.
                FlushLocked();
                Write(frames.WrittenSegment);
            }
            else
            {
                bool wasEmpty = _pending.WrittenCount == 0;
                _pending.Write(frames.WrittenSpan);
                if (_pending.WrittenCount >= FlushThreshold)
                {
                    FlushLocked();
                }
                else if (wasEmpty)
                {
                    _pendingSince = Stopwatch.GetTimestamp();
                    _armed.Set();
                }
            }
        }

        frames.Clear();
    }

    /// <summary>Sends everything batched (the worker has nothing more to do for now).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked();
        }
    }

    /// <summary>Sends <paramref name="frames"/> now, after anything batched, and clears it.</summary>
    public void SendNow(PooledBufferWriter frames)
    {
        lock (_gate)
        {
            FlushLocked();
            Write(frames.WrittenSegment);
        }

        frames.Clear();
    }

    private void FlushLocked()
    {
        if (_pending.WrittenCount > 0)
        {
            Write(_pending.WrittenSegment);
            _pending.Clear();
        }
    }

    private void Write(ArraySegment<byte> bytes)
    {
        _stream.Write(bytes);
    }

    private void FlushLoop()
    {
        while (true)
        {
            _armed.WaitOne();
            while (true)
            {
                long wait;
                lock (_gate)
                {
                    if (_pending.WrittenCount == 0)
                    {
                        break;
                    }

                    wait = _pendingSince + s_maxDelayTicks - Stopwatch.GetTimestamp();
                    if (wait <= 0)
                    {
                        try
                        {
                            FlushLocked();
                        }
                        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
                        {
                            return;
                        }

                        break;
                    }
                }

                Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }
        }
    }
}
