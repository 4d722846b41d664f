using MessagePack;
using MessagePack.Formatters;

namespace Multiprocessing.Serialization;

/// <summary>
/// Limits how deep a value nests while it is written (<see cref="SerializationDepth"/>). Wraps the formatters of
/// reference types, the only values through which a graph can nest without end.
/// </summary>
internal sealed class DepthGuardFormatter<T>(IMessagePackFormatter<T> inner) : IMessagePackFormatter<T>, IWrappingFormatter
{
    public object Inner => inner;

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        int depth = SerializationDepth.Enter(value);
        try
        {
            inner.Serialize(ref writer, value, options);
        }
        finally
        {
            SerializationDepth.Leave(depth);
        }
    }

    // Reading is limited by MessagePackSecurity's maximum depth, which MessagePack's own formatters check.
    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => inner.Deserialize(ref reader, options);
}

/// <summary>A formatter that adds something around another (for the test that pins which formatter a type gets).</summary>
internal interface IWrappingFormatter
{
    object Inner { get; }
}
