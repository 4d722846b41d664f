using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>Strings, in place of MessagePack's own, so that ill-formed ones round-trip (<see cref="Utf16String"/>).</summary>
internal sealed class StringFormatter : IMessagePackFormatter<string?>
{
    public static readonly StringFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, string? value, MessagePackSerializerOptions options) => Utf16String.Write(ref writer, value);

    public string? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Utf16String.Read(ref reader);
}
