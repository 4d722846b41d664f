using Multiprocessing.Jobs;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests.Serialization;

/// <summary>Results read straight into a Map's results array: primitive blocks and strings, only of exactly the slice's length.</summary>
public sealed class ReadIntoTests
{
    private static readonly MessagePackPoolSerializer Serializer = new();

    [Fact]
    public void TryDeserializeInto_ABlockOfTheSliceLength_FillsTheSlice()
    {
        var into = new long[5];
        Assert.True(MessagePackPoolSerializer.TryDeserializeInto(Bytes(new long[] { 1, -2, 3 }), into.AsSpan(1, 3)));
        Assert.Equal([0, 1, -2, 3, 0], into);
    }

    [Fact]
    public void TryDeserializeInto_AnotherLengthNullOrNoBlock_WritesNothingAndSaysSo()
    {
        var into = new int[3];
        Assert.False(MessagePackPoolSerializer.TryDeserializeInto(Bytes(new[] { 1, 2 }), into.AsSpan()));
        Assert.False(MessagePackPoolSerializer.TryDeserializeInto(Bytes<int[]?>(null), into.AsSpan()));
        Assert.False(MessagePackPoolSerializer.TryDeserializeInto(Bytes(new[] { "a", "b" }), new string[3].AsSpan()));
        Assert.False(MessagePackPoolSerializer.TryDeserializeInto(Bytes(new[] { new DateTime(2026, 1, 1) }), new DateTime[1].AsSpan()));
        Assert.Equal([0, 0, 0], into);
    }

    [Fact]
    public void TryDeserializeInto_StringsOfTheSliceLength_FillTheSlice()
    {
        var into = new string?[4];
        Assert.True(MessagePackPoolSerializer.TryDeserializeInto(Bytes(new[] { "a", null, new string('é', 300) }), into.AsSpan(1, 3)));
        Assert.Equal(new string?[] { null, "a", null, new string('é', 300) }.AsEnumerable(), into);
    }

    [Fact]
    public void TryDeserializeInto_AnOutOfBandBlock_ReadsItFromItsSection()
    {
        double[] value = [.. Enumerable.Range(0, (1 << 18) + 3).Select(i => i * 0.5)];
        var (bytes, section, count) = OutOfBand.Serialize(Serializer, value);
        Assert.Equal(1, count);
        var into = new double[value.Length];
        Assert.False(MessagePackPoolSerializer.TryDeserializeInto(bytes, into.AsSpan()));
        using (OutOfBandBlobs.Read(section))
        {
            Assert.True(MessagePackPoolSerializer.TryDeserializeInto(bytes, into.AsSpan()));
        }

        Assert.Equal(value, into);
    }

    [Fact]
    public void ListJob_ChunksCompletedInPlace_FinishWithTheirSlicesAndFailOnAFailure()
    {
        var done = new AsyncResult<int[]>(null, null, null);
        var job = new ListJob<int, int[]>(4, done, static r => r);
        job.ResultsFor(0, 2)[1] = 7;
        job.CompleteChunkInPlace(0, 2, null);
        Assert.False(done.IsReady);
        Assert.True(job.ResultsFor(2, 3).IsEmpty, "a slice past the end");
        job.ResultsFor(2, 2)[0] = 9;
        job.CompleteChunkInPlace(2, 2, null);
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal([0, 7, 9, 0], done.Get());

        var failing = new AsyncResult<int[]>(null, null, null);
        var second = new ListJob<int, int[]>(2, failing, static r => r);
        second.CompleteChunkInPlace(0, 2, [(1, new InvalidOperationException("item 1"))]);
        Assert.True(failing.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal("item 1", Assert.Throws<InvalidOperationException>(() => failing.Get()).Message);
    }

    [Fact]
    public void Pool_MapOfPrimitives_ResultsArriveInTheirPlacesAndAFailureStillFails()
    {
        using var pool = new Pool(2);
        int[] items = [.. Enumerable.Range(0, 50_000)];
        Assert.Equal(items.Select(x => x * x), pool.Map(Tasks.Square, items, chunksize: 777));
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Map(Tasks.FailOn, items, chunksize: 999));
        Assert.Contains("bad item 3", ex.Message, StringComparison.Ordinal);
    }

    private static ReadOnlyMemory<byte> Bytes<T>(T value)
    {
        var buffer = new PooledBufferWriter();
        Serializer.Serialize(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }
}
