using System.Buffers;
using MessagePack;

namespace Multiprocessing;

/// <summary>
/// The default serializer: MessagePack-CSharp with its contractless resolver (records and plain classes
/// with public members need no attributes) and typeless handling of values declared as <see cref="object"/>
/// (the concrete type travels with the value). <c>byte[]</c> and arrays of fixed-size primitives
/// (<c>int[]</c>, <c>double[]</c>, …) are copied as blocks of memory.
/// </summary>
public sealed class MessagePackPoolSerializer : IPoolSerializer
{
    // Worker and parent are the same program on the same machine, so the typeless resolver may name any
    // type: the stream never carries data from anyone else (the socket is authenticated).
    // Not MessagePackSerializerOptions.Standard.WithResolver(…): touching Standard initializes
    // StandardResolver's whole chain, the very start-up cost PoolResolver avoids; the settings are the same.
    private static readonly MessagePackSerializerOptions s_options = new MessagePackSerializerOptions(Serialization.PoolResolver.Instance)
        .WithSecurity(MessagePackSecurity.TrustedData);

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> writer, T value) => MessagePackSerializer.Serialize(writer, value, s_options);

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlyMemory<byte> bytes) => MessagePackSerializer.Deserialize<T>(bytes, s_options);

    /// <inheritdoc />
    public void EnsureSupported(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (typeof(Delegate).IsAssignableFrom(type) || type == typeof(IntPtr) || type.IsPointer || type.IsByRef)
        {
            throw new NotSupportedException($"Values of type {type} cannot be sent to another process.");
        }

        try
        {
            _ = s_options.Resolver.GetFormatterDynamic(type) ?? throw new NotSupportedException($"No MessagePack formatter for {type}.");
        }
        catch (Exception ex) when (ex is not NotSupportedException)
        {
            throw new NotSupportedException($"Values of type {type} cannot be serialized: {ex.GetBaseException().Message}", ex);
        }
    }
}
