using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// Values declared as <see cref="object"/>: MessagePack's typeless formatter, except that a string goes through
/// <see cref="Utf16String"/> (the typeless formatter writes strings itself, not through the resolver).
/// A well-formed string is written exactly as the typeless formatter writes it.
/// </summary>
internal sealed class ObjectFormatter(IMessagePackFormatter<object?> typeless) : IMessagePackFormatter<object?>, IWrappingFormatter
{
    public object Inner => typeless;

    public void Serialize(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options)
    {
        if (value is string text)
        {
            Utf16String.Write(ref writer, text);
            return;
        }

        typeless.Serialize(ref writer, value, options);
    }

    public object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        => Utf16String.IsNext(ref reader) ? Utf16String.Read(ref reader) : typeless.Deserialize(ref reader, options);
}
