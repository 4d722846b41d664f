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
    // Created on first use, not in a static constructor: a worker whose values are all blittable arrays
    // never needs them, and creating any options runs MessagePackSecurity's static constructor, which
    // seeds a hash key from OpenSSL (~5 ms of a cold worker's start). Not derived from
    // MessagePackSerializerOptions.Standard, whose first use initializes StandardResolver's whole chain,
    // the cost PoolResolver avoids; the settings are the same. A race creates two equal instances.
    // Trusted data, but with a depth limit: a stream nested past it fails its task instead of overflowing a stack.
    private static MessagePackSerializerOptions? s_options;

    private static readonly System.Reflection.MethodInfo s_findFormatter = typeof(Serialization.PoolResolver).GetMethod(nameof(Serialization.PoolResolver.GetFormatter))!;

    private static MessagePackSerializerOptions Options => s_options ??= new MessagePackSerializerOptions(Serialization.PoolResolver.Instance)
        .WithSecurity(MessagePackSecurity.TrustedData.WithMaximumObjectGraphDepth(Serialization.SerializationDepth.MaxReadDepth));

    /// <inheritdoc />
    public void Serialize<T>(IBufferWriter<byte> writer, T value)
    {
        if (Serialization.PoolResolver.Instance.GetFormatter<T>() is Serialization.IOptionlessFormatter<T> optionless)
        {
            var messagePackWriter = new MessagePackWriter(writer);
            optionless.Write(ref messagePackWriter, value);
            messagePackWriter.Flush();
            return;
        }

        MessagePackSerializer.Serialize(writer, value, Options);
    }

    /// <summary>
    /// Reads an array of <typeparamref name="T"/> that <see cref="Serialize{T}"/> wrote straight into
    /// <paramref name="destination"/> when it is a block of values of exactly that length (primitive arrays); false
    /// otherwise, for <see cref="Deserialize{T}"/> to read.
    /// </summary>
    internal static bool TryDeserializeInto<T>(ReadOnlyMemory<byte> bytes, Span<T> destination)
    {
        if (Serialization.PoolResolver.Instance.GetFormatter<T[]>() is not Serialization.IReadsInto<T> into)
        {
            return false;
        }

        var reader = new MessagePackReader(bytes);
        return into.TryReadInto(ref reader, destination);
    }

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlyMemory<byte> bytes)
    {
        if (Serialization.PoolResolver.Instance.GetFormatter<T>() is Serialization.IOptionlessFormatter<T> optionless)
        {
            var reader = new MessagePackReader(bytes);
            return optionless.Read(ref reader);
        }

        return MessagePackSerializer.Deserialize<T>(bytes, Options);
    }

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
            // Not MessagePack's GetFormatterDynamic, which compiles an expression tree: 30 ms of a fresh process's first call.
            _ = s_findFormatter.MakeGenericMethod(type).Invoke(Serialization.PoolResolver.Instance, null) ?? throw new NotSupportedException($"No MessagePack formatter for {type}.");
        }
        catch (Exception ex) when (ex is not NotSupportedException)
        {
            throw new NotSupportedException($"Values of type {type} cannot be serialized: {ex.GetBaseException().Message}", ex);
        }
    }
}
