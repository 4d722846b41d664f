using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// An array whose items are themselves arrays the pool writes itself (blittable arrays, string arrays): the bytes
/// MessagePack's own array formatter writes (a header, then each item with the pool's formatter), without the
/// code-generating resolvers it lives in. A chunk of <c>Apply(f, byte[])</c> is a <c>byte[][]</c>: through those
/// resolvers its first use in a fresh process cost 70-90 ms.
/// </summary>
/// <typeparam name="TItem">The item type, an array.</typeparam>
internal sealed class ArrayOfArraysFormatter<TItem>(IOptionlessFormatter<TItem?> item) : IMessagePackFormatter<TItem?[]?>, IOptionlessFormatter<TItem?[]?>
    where TItem : class
{
    public void Serialize(ref MessagePackWriter writer, TItem?[]? value, MessagePackSerializerOptions options) => Write(ref writer, value);

    public TItem?[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader);

    public void Write(ref MessagePackWriter writer, TItem?[]? value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Length);
        foreach (var element in value)
        {
            item.Write(ref writer, element);
        }
    }

    public TItem?[]? Read(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var result = new TItem?[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = item.Read(ref reader);
        }

        return result;
    }
}
