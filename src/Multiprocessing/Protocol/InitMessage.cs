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

    /// <summary>Restamp the status slot before every item; only the task timeout reads it (it costs ~12 ns an item).</summary>
    public bool StampEachItem { get; init; }

    /// <summary>PoolOptions.MaxConcurrencyPerWorker.</summary>
    public int MaxConcurrencyPerWorker { get; init; } = 1;

    public void Write(IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(6);
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
        writer.Write(StampEachItem);
        writer.Write(MaxConcurrencyPerWorker);
        writer.Flush();
    }

    public static InitMessage Read(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        if (reader.ReadArrayHeader() != 6)
        {
            throw new InvalidDataException("Malformed init frame.");
        }

        string serializer = reader.ReadString() ?? throw new InvalidDataException("Init frame without serializer.");
        FunctionDescriptor? initializer = reader.TryReadNil() ? null : FunctionDescriptor.Read(ref reader);
        byte[]? args = reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();
        long maxMemory = reader.ReadInt64();
        bool stampEachItem = reader.ReadBoolean();
        int concurrency = reader.ReadInt32();
        return new InitMessage { SerializerType = serializer, Initializer = initializer, InitArgs = args, MaxMemoryPerChild = maxMemory, StampEachItem = stampEachItem, MaxConcurrencyPerWorker = concurrency };
    }
}
