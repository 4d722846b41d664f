using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// <c>string[]</c>, in place of MessagePack's built-in one, which writes its items itself rather than through
/// the resolver's string formatter (a Map over strings sends its items as one).
/// </summary>
internal sealed class StringArrayFormatter : IMessagePackFormatter<string?[]?>, IOptionlessFormatter<string?[]?>, IReadsInto<string?>
{
    public static readonly StringArrayFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, string?[]? value, MessagePackSerializerOptions options) => Write(ref writer, value);

    public string?[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Write(ref MessagePackWriter writer, string?[]? value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Length);
        foreach (string? item in value)
        {
            Utf16String.Write(ref writer, item);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public string?[]? Read(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var result = new string?[reader.ReadArrayHeader()];
        ReadItems(ref reader, result);
        return result;
    }

    public bool TryReadInto(ref MessagePackReader reader, Span<string?> destination)
    {
        if (reader.TryReadNil() || reader.ReadArrayHeader() != destination.Length)
        {
            return false;
        }

        ReadItems(ref reader, destination);
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void ReadItems(ref MessagePackReader reader, Span<string?> into)
    {
        int i = 0;
        while (i < into.Length)
        {
            // Straight from the buffer while the items are plain strings in one segment (every frame the pool
            // reads is); anything else, one item through the reader.
            var rest = reader.Sequence.Slice(reader.Position);
            int consumed = Utf16String.ReadMany(rest.FirstSpan, into, ref i);
            if (consumed > 0)
            {
                reader.ReadRaw(consumed);
            }

            if (i < into.Length)
            {
                into[i++] = Utf16String.Read(ref reader);
            }
        }
    }
}
