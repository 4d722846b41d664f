using System.Buffers;
using MessagePack;
using Multiprocessing.Functions;

namespace Multiprocessing.Protocol;

/// <summary>The body of an <see cref="FrameKind.Init"/> frame: what every worker needs before its first task.</summary>
internal sealed class InitMessage
{
    public required string SerializerType { get; init; }

    public FunctionDescriptor? Initializer { get; init; }

    public byte[]? InitArgs { get; init; }

    /// <summary>MaxMemoryPerChild in bytes; 0 for no limit.</summary>
    public long MaxMemoryPerChild { get; init; }

    public void Write(IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(4);
        writer.Write(SerializerType);
        if (Initializer is null)
        {
            writer.WriteNil();
        }
        else
        {
            Initializer.Write(ref writer);
        }

        writer.Write(InitArgs);
        writer.Write(MaxMemoryPerChild);
        writer.Flush();
    }

    public static InitMessage Read(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        if (reader.ReadArrayHeader() != 4)
        {
            throw new InvalidDataException("Malformed init frame.");
        }

        string serializer = reader.ReadString() ?? throw new InvalidDataException("Init frame without serializer.");
        FunctionDescriptor? initializer = reader.TryReadNil() ? null : FunctionDescriptor.Read(ref reader);
        byte[]? args = reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();
        long maxMemory = reader.ReadInt64();
        return new InitMessage { SerializerType = serializer, Initializer = initializer, InitArgs = args, MaxMemoryPerChild = maxMemory };
    }
}
