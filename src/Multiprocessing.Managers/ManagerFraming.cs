using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MessagePack;

namespace Multiprocessing.Managers;

/// <summary>
/// The manager's wire format after the handshake. Every message is <c>int32 length</c> (little-endian,
/// counting the body) then a MessagePack array. A request is
/// <c>[seq, op, objectId, thread, timeoutMs, argument, data1 (bin or nil), data2 (bin or nil)]</c>; a reply is
/// <c>[seq, status, value, payload (bin or nil), message (string or nil)]</c>.
/// </summary>
internal static class ManagerFraming
{
    /// <summary>The largest message accepted (a queue item, a snapshot): 1 GB.</summary>
    public const int MaxMessageLength = 1 << 30;

    public static void WriteRequest(ArrayBufferWriter<byte> buffer, uint seq, in ManagerRequest request)
    {
        var writer = Begin(buffer);
        writer.WriteArrayHeader(8);
        writer.Write(seq);
        writer.Write((byte)request.Op);
        writer.Write(request.ObjectId);
        writer.Write(request.Thread);
        writer.Write(request.TimeoutMs);
        writer.Write(request.Argument);
        WriteBytes(ref writer, request.Data1);
        WriteBytes(ref writer, request.Data2);
        End(buffer, ref writer);
    }

    /// <summary>Starts a message in <paramref name="buffer"/>: room for the length, then the body's writer.</summary>
    private static MessagePackWriter Begin(ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        buffer.GetSpan(4);
        buffer.Advance(4);
        return new MessagePackWriter(buffer);
    }

    /// <summary>Ends the message <see cref="Begin"/> started: flushes the body and writes its length in front.</summary>
    private static void End(ArrayBufferWriter<byte> buffer, ref MessagePackWriter writer)
    {
        writer.Flush();
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span, buffer.WrittenCount - 4);
    }

    public static ManagerRequest ReadRequest(ReadOnlyMemory<byte> body, out uint seq)
    {
        var reader = new MessagePackReader(body);
        if (reader.ReadArrayHeader() != 8)
        {
            throw new InvalidDataException("Malformed manager request.");
        }

        seq = reader.ReadUInt32();
        return new ManagerRequest
        {
            Op = (ManagerOp)reader.ReadByte(),
            ObjectId = reader.ReadInt32(),
            Thread = reader.ReadInt32(),
            TimeoutMs = reader.ReadInt64(),
            Argument = reader.ReadInt64(),
            Data1 = ReadBytes(ref reader),
            Data2 = ReadBytes(ref reader),
        };
    }

    public static void WriteReply(ArrayBufferWriter<byte> buffer, uint seq, in ManagerReply reply)
    {
        var writer = Begin(buffer);
        writer.WriteArrayHeader(5);
        writer.Write(seq);
        writer.Write((byte)reply.Status);
        writer.Write(reply.Value);
        WriteBytes(ref writer, reply.Payload);
        writer.Write(reply.Message);
        End(buffer, ref writer);
    }

    public static ManagerReply ReadReply(ReadOnlyMemory<byte> body, out uint seq)
    {
        var reader = new MessagePackReader(body);
        if (reader.ReadArrayHeader() != 5)
        {
            throw new InvalidDataException("Malformed manager reply.");
        }

        seq = reader.ReadUInt32();
        var status = (ReplyStatus)reader.ReadByte();
        long value = reader.ReadInt64();
        byte[]? payload = ReadBytes(ref reader);
        string? message = reader.ReadString();
        return new ManagerReply(status, value, payload, message);
    }

    /// <summary>Reads one message body into <paramref name="buffer"/> (grown as needed); false at a clean end of stream.</summary>
    public static bool TryReceive(Socket socket, ref byte[] buffer, out int length)
    {
        length = 0;
        Span<byte> header = stackalloc byte[4];
        if (!ReceiveExactly(socket, header, allowEnd: true))
        {
            return false;
        }

        length = CheckLength(BinaryPrimitives.ReadInt32LittleEndian(header));
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        ReceiveExactly(socket, buffer.AsSpan(0, length), allowEnd: false);
        return true;
    }

    /// <summary>Reads one message body into <paramref name="buffer"/> (grown as needed).</summary>
    public static async ValueTask<(byte[] Buffer, int Length)> ReceiveAsync(Socket socket, byte[] buffer)
    {
        await ReceiveExactlyAsync(socket, buffer.AsMemory(0, 4)).ConfigureAwait(false);
        int length = CheckLength(BinaryPrimitives.ReadInt32LittleEndian(buffer));
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        await ReceiveExactlyAsync(socket, buffer.AsMemory(0, length)).ConfigureAwait(false);
        return (buffer, length);
    }

    public static bool ReceiveExactly(Socket socket, Span<byte> into, bool allowEnd)
    {
        int read = 0;
        while (read < into.Length)
        {
            int n = socket.Receive(into[read..]);
            if (n == 0)
            {
                if (read == 0 && allowEnd)
                {
                    return false;
                }

                throw new EndOfStreamException("The connection closed inside a manager message.");
            }

            read += n;
        }

        return true;
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data).ConfigureAwait(false)..];
        }
    }

    private static async ValueTask ReceiveExactlyAsync(Socket socket, Memory<byte> into)
    {
        int read = 0;
        while (read < into.Length)
        {
            int n = await socket.ReceiveAsync(into[read..]).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("The connection closed.");
            }

            read += n;
        }
    }

    private static int CheckLength(int length) =>
        length is < 1 or > MaxMessageLength ? throw new InvalidDataException($"Impossible manager message length {length}.") : length;

    private static void WriteBytes(ref MessagePackWriter writer, byte[]? data)
    {
        if (data is { } d)
        {
            writer.Write(d);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static byte[]? ReadBytes(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var seq = reader.ReadBytes() ?? throw new InvalidDataException("Malformed manager message.");
        return seq.ToArray();
    }
}
