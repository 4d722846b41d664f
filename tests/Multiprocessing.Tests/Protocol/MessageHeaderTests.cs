using System.Buffers;
using Multiprocessing.Protocol.Messages;

namespace Multiprocessing.Tests.Protocol;

/// <summary>Each message's layout is written and read in one place: round trips, truncations and noise.</summary>
public sealed class MessageHeaderTests
{
    private static readonly ChunkHeader[] Chunks =
    [
        new ChunkHeader(1, 2, 3, false, null, null),
        new ChunkHeader(long.MaxValue, int.MaxValue, ChunkHeader.MaxCount, true, null, null),
        new ChunkHeader(7, 0, 1, false, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null),
        new ChunkHeader(7, 5, 250, true, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", 0),
        new ChunkHeader(-1, 9, 0, false, null, 1 << 20),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ChunkHeader_WrittenThenRead_RoundTripsAndFindsThePayload(int which)
    {
        var header = Chunks[which];
        var buffer = new ArrayBufferWriter<byte>();
        header.Write(buffer);
        int headerLength = buffer.WrittenCount;
        byte[] body = [.. buffer.WrittenSpan, .. new byte[header.BlobLength ?? 0], 0xAB];

        Assert.True(ChunkHeader.TryRead(body, out var read, out int payloadAt));
        Assert.Equal(header, read);
        Assert.Equal(headerLength, payloadAt);
        Assert.Equal(header.StampEachItem, (ChunkHeader.PeekFlags(body) & ChunkFlags.StampEachItem) != 0);
        for (int cut = 0; cut < headerLength; cut++)
        {
            Assert.False(ChunkHeader.TryRead(body.AsSpan(0, cut), out _, out _));
        }
    }

    [Fact]
    public void ChunkHeader_BlobsLongerThanTheBody_IsRejected()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new ChunkHeader(1, 1, 1, false, null, 100).Write(buffer);
        Assert.False(ChunkHeader.TryRead([.. buffer.WrittenSpan, .. new byte[99]], out _, out _));
        Assert.True(ChunkHeader.TryRead([.. buffer.WrittenSpan, .. new byte[100]], out _, out _));
    }

    [Fact]
    public void ResultHeader_WrittenThenRead_RoundTrips()
    {
        var header = new ResultHeader(42, TimeSpan.FromSeconds(3).Ticks, 2, 10, 5);
        byte[] body = new byte[ResultHeader.Size + 15];
        header.WriteTo(body);
        Assert.True(ResultHeader.TryRead(body, out var read));
        Assert.Equal(header, read);
        Assert.False(ResultHeader.TryRead(body.AsSpan(0, body.Length - 1), out _)); // the lengths no longer fit
        Assert.False(ResultHeader.TryRead(body.AsSpan(0, ResultHeader.Size - 1), out _));
    }

    [Fact]
    public void SubmitHeader_WrittenThenRead_RoundTrips()
    {
        var header = new SubmitHeader(9, 0, 3);
        byte[] body = new byte[SubmitHeader.Size + 3];
        header.WriteTo(body);
        Assert.True(SubmitHeader.TryRead(body, out var read));
        Assert.Equal(header, read);
        Assert.False(SubmitHeader.TryRead(body.AsSpan(0, body.Length - 1), out _));
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(long.MaxValue, true)]
    [InlineData(-5L, true)]
    public void IdHeader_WrittenThenRead_RoundTripsWithAndWithoutTheFlag(long id, bool flag)
    {
        using var plain = new Multiprocessing.Protocol.PooledBufferWriter();
        IdHeader.Write(plain, id);
        Assert.Equal(IdHeader.Size, plain.WrittenCount);
        Assert.True(IdHeader.TryRead(plain.WrittenSpan, out long readId));
        Assert.Equal(id, readId);
        Assert.False(IdHeader.TryRead(plain.WrittenSpan[..^1], out long _));

        using var flagged = new Multiprocessing.Protocol.PooledBufferWriter();
        IdHeader.Write(flagged, id, flag);
        Assert.Equal(IdHeader.FlaggedSize, flagged.WrittenCount);
        Assert.True(IdHeader.TryRead(flagged.WrittenSpan, out IdHeader read));
        Assert.Equal(new IdHeader(id, flag), read);
        Assert.False(IdHeader.TryRead(flagged.WrittenSpan[..^1], out IdHeader _));
        Assert.False(IdHeader.TryRead([.. flagged.WrittenSpan[..^1], 2], out IdHeader _)); // a flag is 0 or 1
    }

    [Fact]
    public void HelloMessage_WrittenThenRead_RoundTrips_AndRefusesWhatDoesNotFit()
    {
        byte[] token = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        using var output = new Multiprocessing.Protocol.PooledBufferWriter();
        HelloMessage.Write(output, 3, 4242, token);
        byte[] body = output.WrittenSpan[5..].ToArray(); // after the frame's int32 length and kind byte
        Assert.Equal((byte)Multiprocessing.Protocol.FrameKind.Hello, output.WrittenSpan[4]);
        Assert.True(HelloMessage.TryRead(body, out var hello));
        Assert.Equal((3, 4242), (hello.Index, hello.ProcessId));
        Assert.Equal(token, hello.Token.ToArray());
        for (int cut = 0; cut < body.Length; cut++)
        {
            Assert.False(HelloMessage.TryRead(body.AsMemory(0, cut), out _));
        }

        foreach (int length in new[] { 0, -1, HelloMessage.MaxTokenLength + 1 })
        {
            byte[] bad = [.. body];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bad.AsSpan(8), length);
            Assert.False(HelloMessage.TryRead(bad, out _));
        }
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrowsAndAcceptsOnlyWhatFits()
    {
        var random = new Random(20261201);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] body = new byte[random.Next(0, 96)];
            random.NextBytes(body);
            if (ChunkHeader.TryRead(body, out var chunk, out int payloadAt))
            {
                Assert.InRange(payloadAt + (long)(chunk.BlobLength ?? 0), 16, body.Length);
            }

            if (ResultHeader.TryRead(body, out var result))
            {
                Assert.True(ResultHeader.Size + (long)result.ResultLength + result.BlobLength <= body.Length);
            }

            if (SubmitHeader.TryRead(body, out var submit))
            {
                Assert.True(SubmitHeader.Size + (long)submit.DescriptorLength <= body.Length);
            }

            Assert.Equal(body.Length >= IdHeader.Size, IdHeader.TryRead(body, out long _));
            Assert.Equal(body.Length >= IdHeader.FlaggedSize && body[8] <= 1, IdHeader.TryRead(body, out IdHeader _));
        }
    }
}
