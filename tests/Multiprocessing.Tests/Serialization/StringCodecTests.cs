using System.Buffers;
using MessagePack;
using Multiprocessing.Serialization;

namespace Multiprocessing.Tests.Serialization;

/// <summary>
/// The pool's own string writer and array reader (Utf16String, StringArrayFormatter) against MessagePack's:
/// the same bytes for every well-formed string, every str header size, nil, and lone surrogates as ext 44.
/// </summary>
public sealed class StringCodecTests
{
    public static TheoryData<int, char> Lengths()
    {
        var data = new TheoryData<int, char>();
        foreach (int n in new[] { 0, 1, 10, 31, 32, 84, 85, 86, 255, 256, 21_845, 21_846, 65_535, 65_536, (1 << 20) + 1 })
        {
            data.Add(n, 'a');
            data.Add(n, 'é'); // two UTF-8 bytes: the header is chosen from the encoded length, not the string's
            data.Add(n, '€'); // three
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Write_WellFormed_IsByteForByteMessagePacksWrite(int length, char c)
    {
        string text = new(c, length);
        Assert.Equal(WithMessagePack(text), WithOurs(text));
    }

    [Fact]
    public void Write_NilAndSurrogatePairs_AreMessagePacksWrite()
    {
        Assert.Equal(WithMessagePack(null), WithOurs(null));
        string pairs = string.Concat(Enumerable.Repeat("a\U0001F600", 50));
        Assert.Equal(WithMessagePack(pairs), WithOurs(pairs));
    }

    [Fact]
    public void Write_LoneSurrogate_IsExtension44_AndReadsBackExactly()
    {
        string lone = "ab\uD800cd";
        byte[] bytes = WithOurs(lone);
        var reader = new MessagePackReader(bytes);
        Assert.Equal(MessagePackType.Extension, reader.NextMessagePackType);
        Assert.Equal(lone, Utf16String.Read(ref reader));
    }

    [Fact]
    public void StringArray_MixedItems_RoundTripInOrder()
    {
        string?[] items = ["plain", null, "ab\uD800", string.Empty, new string('x', 300), "é€😀", "\uDC00", new string('y', 70_000)];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        StringArrayFormatter.Instance.Serialize(ref writer, items, MessagePackSerializerOptions.Standard);
        writer.Flush();

        var reader = new MessagePackReader(buffer.WrittenMemory);
        Assert.Equal(items, StringArrayFormatter.Instance.Deserialize(ref reader, MessagePackSerializerOptions.Standard));
        Assert.True(reader.End);
    }

    [Fact]
    public void StringArray_SplitAcrossSegments_ReadsLikeOneSegment()
    {
        string?[] items = [.. Enumerable.Range(0, 500).Select(i => i % 7 == 0 ? null : new string((char)('a' + (i % 26)), i % 40))];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        StringArrayFormatter.Instance.Serialize(ref writer, items, MessagePackSerializerOptions.Standard);
        writer.Flush();
        byte[] bytes = buffer.WrittenSpan.ToArray();

        foreach (int cut in new[] { 1, 2, 3, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            var reader = new MessagePackReader(Segments.Split(bytes, cut));
            Assert.Equal(items, StringArrayFormatter.Instance.Deserialize(ref reader, MessagePackSerializerOptions.Standard));
        }
    }

    [Fact]
    public void StringArray_Truncated_ThrowsAsTheReaderDoes()
    {
        string?[] items = ["one", "two", new string('z', 100)];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        StringArrayFormatter.Instance.Serialize(ref writer, items, MessagePackSerializerOptions.Standard);
        writer.Flush();
        byte[] truncated = buffer.WrittenSpan[..^10].ToArray();
        Assert.ThrowsAny<Exception>(() =>
        {
            var reader = new MessagePackReader(truncated);
            return StringArrayFormatter.Instance.Deserialize(ref reader, MessagePackSerializerOptions.Standard);
        });
    }

    private static byte[] WithMessagePack(string? text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.Write(text);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WithOurs(string? text)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Utf16String.Write(ref writer, text);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A byte array as a two-segment sequence cut at <c>cut</c>.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Split(byte[] bytes, int cut)
        {
            var first = new Segments(bytes.AsMemory(0, cut), 0);
            var second = new Segments(bytes.AsMemory(cut), cut);
            first.Next = second;
            return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
        }
    }
}
