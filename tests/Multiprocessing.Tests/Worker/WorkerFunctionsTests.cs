using System.Buffers.Binary;
using MessagePack;
using Multiprocessing.Functions;
using Multiprocessing.Protocol;
using Multiprocessing.Protocol.Messages;
using Multiprocessing.Serialization;
using Multiprocessing.Worker;

namespace Multiprocessing.Tests.Worker;

/// <summary>A worker's chunk step without a process: define a function, run a chunk body, read the frame it appended.</summary>
public sealed class WorkerFunctionsTests
{
    private static readonly MessagePackPoolSerializer Serializer = new();

    [Fact]
    public void RunChunk_DefinedFunction_AppendsItsResultFrame()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        functions.Define(DefineBody(1, Double));
        using var output = new PooledBufferWriter();

        var outcome = functions.RunChunk(ChunkBody(7, 1, [1, 2, 3]), null, output);

        Assert.Null(outcome.Error);
        Assert.Null(outcome.ResultBlobs);
        Assert.Equal(0, outcome.LargeBytes);
        var (kind, body) = SingleFrame(output);
        Assert.Equal(FrameKind.Result, kind);
        Assert.True(ResultHeader.TryRead(body, out var header));
        Assert.Equal(7, header.ChunkId);
        Assert.Equal(0, header.FailureCount);
        Assert.Equal([2, 4, 6], Serializer.Deserialize<int[]>(body.AsMemory(ResultHeader.Size, header.ResultLength)));
    }

    [Fact]
    public void RunChunk_ItemThrows_ReportsThatItemAtItsOffsetAndRunsTheOthers()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        functions.Define(DefineBody(2, FailOnTwo));
        using var output = new PooledBufferWriter();
        int stamps = 0;

        var outcome = functions.RunChunk(ChunkBody(8, 2, [1, 2, 3]), () => stamps++, output);

        Assert.Null(outcome.Error);
        Assert.Equal(3, stamps);
        var (kind, body) = SingleFrame(output);
        Assert.Equal(FrameKind.Result, kind);
        Assert.True(ResultHeader.TryRead(body, out var header));
        Assert.Equal(1, header.FailureCount);
        Assert.Equal([1, 0, 3], Serializer.Deserialize<int[]>(body.AsMemory(ResultHeader.Size, header.ResultLength)));
        var reader = new MessagePackReader(body.AsMemory(ResultHeader.Size + header.ResultLength));
        Assert.Equal(1, reader.ReadArrayHeader());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Contains("two", RemoteError.Read(ref reader).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunChunk_UndefinedFunction_AppendsChunkFailed()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        using var output = new PooledBufferWriter();

        var outcome = functions.RunChunk(ChunkBody(9, 3, [1]), null, output);

        Assert.Contains("never defined", outcome.Error?.Message, StringComparison.Ordinal);
        AssertChunkFailed(output, 9, "never defined");
    }

    [Fact]
    public void RunChunk_FunctionThatCouldNotLoad_FailsWithTheLoadError()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        byte[] corrupt = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(corrupt, 4);
        corrupt[4] = 0xC1; // never used by MessagePack
        functions.Define(corrupt);
        using var output = new PooledBufferWriter();

        var outcome = functions.RunChunk(ChunkBody(10, 4, [1]), null, output);

        Assert.Contains("could not load", outcome.Error?.Message, StringComparison.Ordinal);
        AssertChunkFailed(output, 10, "could not load");
    }

    [Fact]
    public void RunChunk_UnreadableArguments_FailsTheChunkOnly()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        functions.Define(DefineBody(5, Double));
        using var body = new PooledBufferWriter();
        new ChunkHeader(11, 5, 1, false, null, null).Write(body);
        body.Write([0xC1]);
        using var output = new PooledBufferWriter();

        var outcome = functions.RunChunk(body.WrittenSpan.ToArray(), null, output);

        Assert.Contains("could not read the arguments", outcome.Error?.Message, StringComparison.Ordinal);
        AssertChunkFailed(output, 11, "could not read the arguments");
    }

    [Fact]
    public void RunChunk_CorruptHeader_ThrowsInvalidData()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        using var output = new PooledBufferWriter();
        Assert.Throws<InvalidDataException>(() => functions.RunChunk(new byte[10], null, output));
    }

    [Fact]
    public void RunChunk_LargeArrayResult_ReturnsItsBlobsForTheSend()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        functions.Define(DefineBody(6, Large));
        using var output = new PooledBufferWriter();

        var outcome = functions.RunChunk(ChunkBody(12, 6, [OutOfBandBlobs.Threshold]), null, output);

        Assert.Null(outcome.Error);
        var blobs = Assert.IsType<OutOfBandBlobs>(outcome.ResultBlobs);
        Assert.Equal(1, blobs.Count);
        Assert.Equal(OutOfBandBlobs.Threshold, blobs.Length);
        Assert.Equal(output.WrittenCount, blobs.InsertAt);
        Assert.Equal(OutOfBandBlobs.Threshold, outcome.LargeBytes);
        Assert.True(ResultHeader.TryRead(SingleFrame(output, blobs.Length).Body, out var header));
        Assert.Equal(OutOfBandBlobs.Threshold, header.BlobLength);
    }

    [Fact]
    public void RunChunk_ReceivedBlobs_AreInstalledForTheRunnerAndCounted()
    {
        var functions = new WorkerFunctions(Serializer, concurrency: 1);
        var fake = new RecordingRunner();
        functions.Define(13, fake);
        using var body = new PooledBufferWriter();
        new ChunkHeader(14, 13, 1, false, null, 16).Write(body);
        body.Write([1, 2, 3]);
        body.Write(new byte[16]);
        using var output = new PooledBufferWriter();
        Action stamp = () => { };

        var outcome = functions.RunChunk(body.WrittenSpan.ToArray(), stamp, output);

        Assert.Null(outcome.Error);
        Assert.Equal(16, outcome.ReceivedBlobBytes);
        Assert.Equal(16, outcome.LargeBytes);
        Assert.Equal(14, fake.ChunkId);
        Assert.Equal([1, 2, 3], fake.Payload);
        Assert.Equal(16, fake.BlobSection);
        Assert.Same(stamp, fake.BeforeEachItem);
        Assert.False(OutOfBandBlobs.TryGetSection(out _)); // uninstalled after the run
    }

    public static int Double(int x) => 2 * x;

    public static int FailOnTwo(int x) => x == 2 ? throw new InvalidOperationException("two") : x;

    public static byte[] Large(int length) => new byte[length];

    private static byte[] DefineBody(int id, Func<int, int> function) => DefineBody(id, (Delegate)function);

    private static byte[] DefineBody(int id, Func<int, byte[]> function) => DefineBody(id, (Delegate)function);

    private static byte[] DefineBody(int id, Delegate function)
    {
        using var body = new PooledBufferWriter();
        FrameWriter.Int32(body, id);
        var writer = new MessagePackWriter(body);
        FunctionDescriptor.Create(function, "func").Write(ref writer);
        writer.Flush();
        return body.WrittenSpan.ToArray();
    }

    private static byte[] ChunkBody(long chunkId, int functionId, int[] items)
    {
        using var body = new PooledBufferWriter();
        new ChunkHeader(chunkId, functionId, items.Length, false, null, null).Write(body);
        Serializer.Serialize(body, items);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>The one frame in <paramref name="output"/>; <paramref name="outOfBand"/> of its bytes are not in the buffer.</summary>
    private static (FrameKind Kind, byte[] Body) SingleFrame(PooledBufferWriter output, long outOfBand = 0)
    {
        var bytes = output.WrittenSpan;
        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        Assert.Equal(bytes.Length - 4, length - outOfBand);
        byte[] body = [.. bytes[5..], .. new byte[outOfBand]];
        return ((FrameKind)bytes[4], body);
    }

    private static void AssertChunkFailed(PooledBufferWriter output, long chunkId, string message)
    {
        var (kind, body) = SingleFrame(output);
        Assert.Equal(FrameKind.ChunkFailed, kind);
        Assert.Equal(chunkId, BinaryPrimitives.ReadInt64LittleEndian(body));
        var reader = new MessagePackReader(body.AsMemory(8));
        Assert.Contains(message, RemoteError.Read(ref reader).Message, StringComparison.Ordinal);
    }

    private sealed class RecordingRunner : FunctionRunner
    {
        public long ChunkId { get; private set; }

        public byte[] Payload { get; private set; } = [];

        public int BlobSection { get; private set; } = -1;

        public Action? BeforeEachItem { get; private set; }

        public override ChunkOutcome Run(ReadOnlyMemory<byte> payload, long chunkId, Action? beforeEachItem, PooledBufferWriter output)
        {
            ChunkId = chunkId;
            Payload = payload.ToArray();
            BeforeEachItem = beforeEachItem;
            BlobSection = OutOfBandBlobs.TryGetSection(out var section) ? section.Length : -1;
            FrameWriter.Empty(output, FrameKind.Result);
            return default;
        }
    }
}
