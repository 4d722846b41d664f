using System.Buffers.Binary;
using System.Diagnostics;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;

namespace Multiprocessing.Worker;

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
    private readonly BulkSender? _bulk;
    private readonly PooledBufferWriter _pending = new();
    private readonly AutoResetEvent _armed = new(false);
    private long _pendingSince;

    public WorkerOutput(Stream stream, BulkSender? bulk = null)
    {
        _stream = stream;
        _bulk = bulk;
        new Thread(FlushLoop) { IsBackground = true, Name = "Multiprocessing worker flusher" }.Start();
    }

    /// <summary>The maximum time a finished result waits in the batch.</summary>
    public static TimeSpan MaxDelay => TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Queues complete frames for a later write when <paramref name="moreWorkQueued"/> (they will share it with
    /// the next results), or writes them now with anything waiting; clears <paramref name="frames"/>.
    /// </summary>
    public void Add(PooledBufferWriter frames, bool moreWorkQueued, OutOfBandBlobs? blobs = null)
    {
        if (frames.WrittenCount == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (!moreWorkQueued || frames.WrittenCount >= FlushThreshold || blobs is not null)
            {
                // Nothing else to do, or large: no copy into the batch, it goes out now, after what was waiting.
                // Blobs always go now: they are the task's own arrays, read in place.
                FlushLocked();
                Write(frames.WrittenSegment, blobs);
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
        blobs?.Clear();
    }

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

    private void Write(ArraySegment<byte> bytes, OutOfBandBlobs? blobs = null)
    {
        if (blobs is null && (_bulk is null || bytes.Count < BulkSender.Threshold))
        {
            _stream.Write(bytes);
            return;
        }

        // Large frames go into the shared ring; the stream carries the small ones and a Bulk frame for each
        // large one, in their original order. The frame that ends at blobs.InsertAt has its blobs after it.
        var segments = new List<ArraySegment<byte>>();
        int plainFrom = 0;
        int at = 0;
        while (at + 4 <= bytes.Count)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            long outOfBand = blobs is not null && at + 4 + length - blobs.Length == blobs.InsertAt ? blobs.Length : 0;
            int inBuffer = (int)(length - outOfBand);
            int next = at + 4 + inBuffer;
            if (_bulk is not null && _bulk.TryReserve(length, out int generation, out long position, out var target))
            {
                bytes.AsSpan(at + 4, inBuffer).CopyTo(target);
                if (outOfBand > 0)
                {
                    blobs!.CopyTo(target[inBuffer..]);
                }

                if (at > plainFrom)
                {
                    segments.Add(bytes.Slice(plainFrom, at - plainFrom));
                }

                using var frame = new PooledBufferWriter(32);
                BulkSender.WriteFrame(frame, generation, position, length);
                segments.Add(frame.WrittenSpan.ToArray());
                plainFrom = next;
            }
            else if (outOfBand > 0)
            {
                // Inline with its blobs: what is gathered so far and the frame's own bytes, then the blobs.
                segments.Add(bytes.Slice(plainFrom, next - plainFrom));
                WriteAll(segments);
                segments.Clear();
                blobs!.WriteTo(_stream);
                plainFrom = next;
            }

            at = next;
        }

        if (plainFrom < bytes.Count)
        {
            segments.Add(bytes.Slice(plainFrom));
        }

        WriteAll(segments);
    }

    private void WriteAll(List<ArraySegment<byte>> segments)
    {
        foreach (var segment in segments)
        {
            _stream.Write(segment);
        }
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
