using System.Buffers.Binary;

namespace Multiprocessing.Protocol;

/// <summary>
/// The receiving end of a peer's shared-memory ring (see <see cref="BulkSender"/>): turns a
/// <see cref="FrameKind.Bulk"/> frame into the frame it stands for, read in place, under a lease. Leases may be
/// released from any thread and in any order; the ring's head moves over the longest released prefix.
/// </summary>
internal sealed class BulkReceiver : IDisposable
{
    private readonly string _pathPrefix;
    private readonly object _gate = new();
    private readonly Queue<BulkLease> _held = new();
    private BulkRing? _ring;
    private int _generation;
    private bool _disposed;
    private static long s_framesReceived;

    /// <param name="pathPrefix">The peer's files: this prefix followed by the generation number.</param>
    public BulkReceiver(string pathPrefix) => _pathPrefix = pathPrefix;

    /// <summary>How many frames this process read from peers' rings, over all connections (for tests and diagnostics).</summary>
    public static long TotalFramesReceived => Interlocked.Read(ref s_framesReceived);

    /// <summary>Resolves a Bulk frame's body to the frame's kind and body, held until <paramref name="lease"/> is disposed.</summary>
    public unsafe ReadOnlyMemory<byte> Open(ReadOnlySpan<byte> bulkBody, out FrameKind kind, out BulkLease lease)
    {
        if (bulkBody.Length != 16)
        {
            throw new InvalidDataException($"Corrupt stream: a Bulk frame of {bulkBody.Length} bytes.");
        }

        int generation = BinaryPrimitives.ReadInt32LittleEndian(bulkBody);
        long position = BinaryPrimitives.ReadInt64LittleEndian(bulkBody[4..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(bulkBody[12..]);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (generation != _generation)
            {
                if (generation < _generation || _held.Count > 0)
                {
                    throw new InvalidDataException($"Corrupt stream: shared ring generation {generation} after {_generation} with {_held.Count} frames held.");
                }

                var next = BulkRing.Open(_pathPrefix + generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _ring?.Dispose();
                _ring = next;
                _generation = generation;
            }

            var ring = _ring ?? throw new InvalidDataException("Corrupt stream: a Bulk frame before any shared ring.");
            long offset = position % ring.Capacity;
            if (position < 0 || length < 1 || offset + length > ring.Capacity)
            {
                throw new InvalidDataException($"Corrupt stream: a Bulk frame of {length} bytes at {position} in a ring of {ring.Capacity}.");
            }

            byte* at = ring.At(offset);
            if (!FrameReader.IsKnownKind(*at) || *at == (byte)FrameKind.Bulk)
            {
                throw new InvalidDataException($"Corrupt stream: unknown frame kind {*at} in the shared ring.");
            }

            kind = (FrameKind)(*at);
            lease = new BulkLease(this, position + length);
            _held.Enqueue(lease);
            Interlocked.Increment(ref s_framesReceived);
            return new SharedMemorySlice(at + 1, length - 1).Memory;
        }
    }

    internal void Release(BulkLease lease)
    {
        lock (_gate)
        {
            lease.Released = true;
            long? end = null;
            while (_held.TryPeek(out var first) && first.Released)
            {
                end = _held.Dequeue().End;
            }

            if (end is { } e && _ring is { } ring)
            {
                ring.Head = e;
            }

            if (_disposed && _held.Count == 0)
            {
                Unmap();
            }
        }
    }

    /// <summary>Unmaps the ring now, or when the last held frame is released: a body being read is never pulled away.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_held.Count == 0)
            {
                Unmap();
            }
        }
    }

    private void Unmap()
    {
        _ring?.Dispose();
        _ring = null;
    }
}
