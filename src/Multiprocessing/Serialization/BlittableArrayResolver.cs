using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// Arrays of fixed-size primitives (<c>int[]</c>, <c>double[]</c>, …) travel as one MessagePack
/// extension whose payload is the array's memory, copied as a block: a million ints cost a memcpy
/// instead of a million variable-length encodings. Both ends are the same machine, so byte order agrees.
/// </summary>
internal sealed class BlittableArrayResolver : IFormatterResolver
{
    public static readonly BlittableArrayResolver Instance = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            Type t = typeof(T);
            if (!t.IsArray || t.GetArrayRank() != 1)
            {
                return null;
            }

            Type e = t.GetElementType()!;
            bool blittable = e == typeof(byte) || e == typeof(int) || e == typeof(long) || e == typeof(double) || e == typeof(float)
                || e == typeof(short) || e == typeof(ushort) || e == typeof(uint) || e == typeof(ulong)
                || e == typeof(sbyte) || e == typeof(char);
            return blittable ? (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(BlittableArrayFormatter<>).MakeGenericType(e))! : null;
        }
    }
}

/// <summary>
/// The blittable-array formatters without <see cref="MessagePackSerializerOptions"/>, which they never read:
/// the serializer uses this to skip creating options in a worker that only sends such arrays.
/// </summary>
internal interface IOptionlessFormatter<T>
{
    void Write(ref MessagePackWriter writer, T value);

    T Read(ref MessagePackReader reader);
}

/// <summary>
/// Writes and reads a <typeparamref name="T"/>[] as raw memory inside extension type 42 (nil for null); a large
/// array, while the frame collects <see cref="OutOfBandBlobs"/>, as extension type 43 holding only its place
/// (int64 offset, int32 length) in the frame's blob section.
/// </summary>
internal sealed class BlittableArrayFormatter<T> : IMessagePackFormatter<T[]?>, IOptionlessFormatter<T[]?>, IReadsInto<T>
    where T : unmanaged
{
    private const sbyte ExtensionType = 42;
    private const sbyte OutOfBandType = 43;
    private const int ReferenceLength = 12;

    public void Serialize(ref MessagePackWriter writer, T[]? value, MessagePackSerializerOptions options) => Write(ref writer, value);

    public T[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    public void Write(ref MessagePackWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        if (bytes.Length >= OutOfBandBlobs.Threshold && OutOfBandBlobs.Collecting is { } blobs && blobs.Add(value, bytes.Length) is var at and >= 0)
        {
            writer.WriteExtensionFormatHeader(new ExtensionHeader(OutOfBandType, ReferenceLength));
            Span<byte> reference = writer.GetSpan(ReferenceLength);
            BinaryPrimitives.WriteInt64LittleEndian(reference, at);
            BinaryPrimitives.WriteInt32LittleEndian(reference[8..], bytes.Length);
            writer.Advance(ReferenceLength);
            return;
        }

        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, bytes.Length));
        writer.WriteRaw(bytes);
    }

    public bool TryReadInto(ref MessagePackReader reader, Span<T> destination)
    {
        if (reader.TryReadNil())
        {
            return false;
        }

        var into = MemoryMarshal.AsBytes(destination);
        if (Locate(ref reader, out var inline, out var outOfBand, out bool isReference) != into.Length)
        {
            return false;
        }

        if (isReference)
        {
            OutOfBandBlobs.CopyInParallel(outOfBand, into);
        }
        else
        {
            inline.CopyTo(into);
        }

        return true;
    }

    public T[]? Read(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int length = Locate(ref reader, out var inline, out var outOfBand, out bool isReference);
        if (length < 0)
        {
            throw new MessagePackSerializationException(isReference
                ? $"An out-of-band block of {typeof(T).Name} values does not lie within its frame."
                : $"Expected a block of {typeof(T).Name} values.");
        }

        int count = length / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (isReference)
        {
            // On the pinned-object heap: like the large-object heap it never moves such arrays, but its budget is
            // its own, so a process receiving one large array after another reuses their memory sooner (docs/benchmarks.md).
            var block = GC.AllocateUninitializedArray<T>(count, pinned: true);
            OutOfBandBlobs.CopyInParallel(outOfBand, MemoryMarshal.AsBytes(block.AsSpan()));
            return block;
        }

        var result = GC.AllocateUninitializedArray<T>(count);
        inline.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>
    /// Reads a block's header and finds its bytes: in the frame (<paramref name="inline"/>), or for an out-of-band
    /// reference (<paramref name="isReference"/>) in the frame's blob section (<paramref name="outOfBand"/>).
    /// </summary>
    /// <returns>The block's length in bytes, or -1 when it is no whole block of values within its frame.</returns>
    private static int Locate(ref MessagePackReader reader, out ReadOnlySequence<byte> inline, out ReadOnlySpan<byte> outOfBand, out bool isReference)
    {
        var header = reader.ReadExtensionFormatHeader();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        inline = default;
        outOfBand = default;
        isReference = header.TypeCode == OutOfBandType && header.Length == ReferenceLength;
        if (isReference)
        {
            Span<byte> reference = stackalloc byte[ReferenceLength];
            reader.ReadRaw(ReferenceLength).CopyTo(reference);
            long at = BinaryPrimitives.ReadInt64LittleEndian(reference);
            int length = BinaryPrimitives.ReadInt32LittleEndian(reference[8..]);
            if (!OutOfBandBlobs.TryGetSection(out var section) || at < 0 || length < 0 || at + length > section.Length || length % size != 0)
            {
                return -1;
            }

            outOfBand = section.Span.Slice((int)at, length);
            return length;
        }

        if (header.TypeCode != ExtensionType || header.Length % size != 0)
        {
            return -1;
        }

        inline = reader.ReadRaw(header.Length);
        return (int)header.Length;
    }
}
