using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Multiprocessing.Serialization;

/// <summary>
/// Large primitive arrays carried beside a frame's serialized body instead of inside it (as pickle protocol 5's
/// out-of-band buffers): while a collector is installed on the serializing thread, <see cref="BlittableArrayFormatter{T}"/>
/// writes only a reference (offset, length) for an array of at least <see cref="Threshold"/> bytes and the array is
/// copied once, straight from its own memory into the shared ring or the socket, when the frame is sent. On the
/// reading side the frame's blob section is installed while its body is deserialized.
/// </summary>
internal sealed class OutOfBandBlobs
{
    /// <summary>Arrays from this many bytes go out of band.</summary>
    public const int Threshold = 1 << 20;

    /// <summary>The most a frame carries out of band (the frame as a whole stays under 2 GB).</summary>
    private const long MaxLength = 1L << 30;

    [ThreadStatic]
    private static OutOfBandBlobs? t_collecting;

    [ThreadStatic]
    private static ReadOnlyMemory<byte> t_section;

    [ThreadStatic]
    private static bool t_reading;

    private static long s_collected;

    private List<(Array Array, int Length)>? _items;

    /// <summary>How many arrays this process has taken out of band (for tests and diagnostics).</summary>
    public static long TotalCollected => Interlocked.Read(ref s_collected);

    /// <summary>The collector installed on this thread, if any.</summary>
    public static OutOfBandBlobs? Collecting => t_collecting;

    /// <summary>Where the frame being read keeps its blobs, if it has any.</summary>
    public static bool TryGetSection(out ReadOnlyMemory<byte> section)
    {
        section = t_section;
        return t_reading;
    }

    /// <summary>One slice per core at a time: more threads than cores only preempt each other mid-copy.</summary>
    private static readonly ParallelOptions s_copyOptions = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>
    /// Copies a large block on every core. Both ends of a large array's journey are on the critical path (the
    /// other process waits); out of the ring, most of the cost is faulting in the fresh array's pages, which the
    /// kernel does in parallel for disjoint ranges (docs/benchmarks.md, "Large arrays").
    /// </summary>
    public static unsafe void CopyInParallel(ReadOnlySpan<byte> source, Span<byte> target)
    {
        const int Slice = 4 << 20;
        if (source.Length < 4 * Slice || Environment.ProcessorCount < 2)
        {
            source.CopyTo(target);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(target.Length, source.Length, nameof(target));
        fixed (byte* from = source)
        fixed (byte* to = target)
        {
            // The spans are pinned for as long as the copy runs; the slices see them as addresses.
            nint fromAddress = (nint)from;
            nint toAddress = (nint)to;
            int length = source.Length;
            Parallel.For(0, (length + Slice - 1) / Slice, s_copyOptions, i =>
            {
                long start = (long)i * Slice;
                long count = Math.Min(Slice, length - start);
                Buffer.MemoryCopy((void*)(fromAddress + (nint)start), (void*)(toAddress + (nint)start), count, count);
            });
        }
    }

    /// <summary>Total bytes collected.</summary>
    public long Length { get; private set; }

    public int Count => _items?.Count ?? 0;

    /// <summary>Where in the frame's buffer the blobs belong (just after the frame's own bytes).</summary>
    public int InsertAt { get; set; }

    /// <summary>Installs <paramref name="blobs"/> as this thread's collector until the scope ends.</summary>
    public static CollectScope Collect(OutOfBandBlobs blobs)
    {
        var previous = t_collecting;
        t_collecting = blobs;
        return new CollectScope(previous);
    }

    /// <summary>Installs a frame's blob section for the thread's deserialization until the scope ends.</summary>
    public static ReadScope Read(ReadOnlyMemory<byte> section)
    {
        if (section.IsEmpty)
        {
            // Nothing to install (most frames): a reference would fail its range check either way.
            return default;
        }

        var scope = new ReadScope(t_section, t_reading, active: true);
        t_section = section;
        t_reading = true;
        return scope;
    }

    /// <summary>Takes <paramref name="array"/> (of <paramref name="length"/> bytes) out of band; its offset, or -1 if it must stay inline.</summary>
    public long Add(Array array, int length)
    {
        if (Length + length > MaxLength)
        {
            return -1;
        }

        long at = Length;
        Interlocked.Increment(ref s_collected);
        (_items ??= []).Add((array, length));
        Length += length;
        return at;
    }

    public void Clear()
    {
        _items?.Clear();
        Length = 0;
        InsertAt = 0;
    }

    /// <summary>Copies every blob, in order, to <paramref name="target"/>.</summary>
    public void CopyTo(Span<byte> target)
    {
        int at = 0;
        foreach (var (array, length) in _items ?? [])
        {
            CopyInParallel(Bytes(array, length), target[at..]);
            at += length;
        }
    }

    /// <summary>Writes every blob, in order, to <paramref name="socket"/>.</summary>
    public void SendTo(Socket socket)
    {
        foreach (var (array, length) in _items ?? [])
        {
            var bytes = Bytes(array, length);
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += socket.Send(bytes[sent..]);
            }
        }
    }

    /// <summary>Writes every blob, in order, to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        foreach (var (array, length) in _items ?? [])
        {
            stream.Write(Bytes(array, length));
        }
    }

    private static ReadOnlySpan<byte> Bytes(Array array, int length) => MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), length);

    /// <summary>Restores the collector installed before.</summary>
    public readonly struct CollectScope(OutOfBandBlobs? previous) : IDisposable
    {
        public void Dispose() => t_collecting = previous;
    }

    /// <summary>Restores the section installed before (nothing, for an empty section).</summary>
    public readonly struct ReadScope(ReadOnlyMemory<byte> previous, bool wasReading, bool active) : IDisposable
    {
        public void Dispose()
        {
            if (active)
            {
                (t_section, t_reading) = (previous, wasReading);
            }
        }
    }
}
