namespace Multiprocessing.Protocol;

/// <summary>
/// The sending end of a connection's shared-memory ring. A frame of at least <see cref="Threshold"/> bytes is
/// copied into the ring and only a small <see cref="FrameKind.Bulk"/> frame naming its place crosses the socket:
/// the receiver reads it where it lies (no socket copies, no receive buffer), then moves the ring's head.
/// When the ring has no room, the frame simply goes inline. One thread at a time (the caller's write lock).
/// </summary>
internal sealed class BulkSender : IDisposable
{
    /// <summary>Frames from this size (kind byte and body) go through the ring.</summary>
    public const int Threshold = 1 << 20;

    private const long MinCapacity = 16L << 20;
    private const int Alignment = 64;
    private const long Granularity = 1L << 20;

    private readonly string _pathPrefix;
    private BulkRing? _ring;
    private int _generation;
    private long _tail;
    private bool _unavailable;

    /// <param name="pathPrefix">Files are this prefix followed by the generation number.</param>
    public BulkSender(string pathPrefix) => _pathPrefix = pathPrefix;

    private static long s_framesSent;

    /// <summary>How many frames went through rings from this process, over all connections (for tests and diagnostics).</summary>
    public static long TotalFramesSent => Interlocked.Read(ref s_framesSent);

    /// <summary>Bytes of the current ring's data that have pages (for tests).</summary>
    internal long BackedBytes => _ring?.BackedBytes ?? 0;

    /// <summary>The current ring's data capacity, or 0 before the first ring (for tests).</summary>
    internal long Capacity => _ring?.Capacity ?? 0;

    /// <summary>
    /// Reserves room for a frame of <paramref name="length"/> bytes (its kind byte and body), to be filled through
    /// <paramref name="target"/> before the Bulk frame is sent; false when the frame must go inline.
    /// </summary>
    public bool TryReserve(int length, out int generation, out long position, out Span<byte> target)
    {
        generation = 0;
        position = 0;
        target = default;
        if (_unavailable || length < Threshold || length > BulkRing.MaxCapacity / 2)
        {
            return false;
        }

        var ring = _ring;
        long head = ring?.Head ?? 0;

        // Everything sent so far has been released (a stale head only makes this false: safe).
        bool empty = ring is null || head >= _tail;
        if (ring is null || ring.Capacity < length)
        {
            if (!empty)
            {
                return false;
            }

            // A new generation, big enough for two such frames in flight; the receiver switches to it when it
            // sees the number, and nothing of the old one is held any more.
            long capacity = Math.Clamp(((2L * length) + Granularity - 1) / Granularity * Granularity, MinCapacity, BulkRing.MaxCapacity);
            string path = _pathPrefix + (_generation + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                ring = BulkRing.Create(path, capacity);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No shared memory here (too small, full, or not allowed): the socket carries everything.
                _unavailable = true;
                return false;
            }

            if (!ring.TryBack(0, length))
            {
                // The file system cannot hold this frame; nobody has heard of the new ring, so it goes at once.
                ring.Dispose();
                File.Delete(path);
                _unavailable = true;
                return false;
            }

            _ring?.Dispose();
            _ring = ring;
            _generation++;
            _tail = 0;
            head = 0;
        }

        long cap = ring.Capacity;
        long start;
        if (empty)
        {
            // Start again at offset 0: the same pages are reused while they are warm.
            start = _tail % cap == 0 ? _tail : _tail + (cap - (_tail % cap));
        }
        else
        {
            start = (_tail + Alignment - 1) & ~(long)(Alignment - 1);
            if ((start % cap) + length > cap)
            {
                start += cap - (start % cap);
            }

            if (start + length - head > cap)
            {
                return false;
            }
        }

        if (!ring.TryBack(start % cap, length))
        {
            // Shared memory ran out under a ring in use: the receiver keeps what it holds, new frames go inline.
            _unavailable = true;
            return false;
        }

        _tail = start + length;
        generation = _generation;
        position = start;
        target = ring.Slice(start % cap, length);
        Interlocked.Increment(ref s_framesSent);
        return true;
    }

    /// <summary>Writes the Bulk frame that tells the receiver where the frame is.</summary>
    public static void WriteFrame(PooledBufferWriter buffer, int generation, long position, int length)
    {
        int frame = FrameWriter.Begin(buffer, FrameKind.Bulk);
        FrameWriter.Int32(buffer, generation);
        FrameWriter.Int64(buffer, position);
        FrameWriter.Int32(buffer, length);
        FrameWriter.End(buffer, frame);
    }

    public void Dispose()
    {
        _ring?.Dispose();
        _ring = null;
        _unavailable = true;
    }
}
