using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// <c>string[]</c>, in place of MessagePack's built-in one, which writes its items itself rather than through
/// the resolver's string formatter (a Map over strings sends its items as one).
/// </summary>
internal sealed class StringArrayFormatter : IMessagePackFormatter<string?[]?>
{
    public static readonly StringArrayFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, string?[]? value, MessagePackSerializerOptions options)
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

    public string?[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        int count = reader.ReadArrayHeader();
        var result = new string?[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = Utf16String.Read(ref reader);
        }

        return result;
    }
}
