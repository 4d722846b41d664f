using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using MessagePack;

namespace Multiprocessing.Serialization;

/// <summary>
/// Strings that survive the trip exactly. MessagePack strings are UTF-8, which cannot hold an unpaired
/// surrogate (common when <c>Substring</c> splits an emoji): the encoder would replace it with U+FFFD and the
/// receiver get another string without a word. Well-formed strings are written as usual (the fast path,
/// the same bytes); the rest as extension type 44 carrying their UTF-16 code units.
/// </summary>
internal static class Utf16String
{
    /// <summary>The extension type of a string that is not well-formed UTF-16 (its code units, little-endian).</summary>
    public const sbyte ExtensionType = 44;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ref MessagePackWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        // The common case in one pass, straight into the buffer: the same bytes as MessagePackWriter.Write(string)
        // (the shortest str header), but optimized at once, because a fresh process otherwise runs the writer's
        // per-string calls unoptimized for its whole first large Map (150 ms for 1 M words; 27 ms warm).
        if (value.Length <= MaxDirectLength)
        {
            int guess = HeaderLength(value.Length); // UTF-8 is at least one byte per UTF-16 unit
            Span<byte> span = writer.GetSpan(guess + (value.Length * 3));
            if (Utf8.FromUtf16(value, span[guess..], out _, out int length, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                int header = HeaderLength(length);
                if (header != guess)
                {
                    span.Slice(guess, length).CopyTo(span[header..]);
                }

                WriteHeader(span, length);
                writer.Advance(header + length);
                return;
            }

            // The span holds the worst case, so only a lone surrogate stops the transcoder: an ext 44 below.
        }
        else if (IsWellFormed(value))
        {
            writer.Write(value);
            return;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, bytes.Length));
        writer.WriteRaw(bytes);
    }

    /// <summary>
    /// Reads strings written by <see cref="Write"/> from <paramref name="span"/> into <paramref name="into"/>, from
    /// <paramref name="index"/> to its end, as long as each is nil or a str; stops at
    /// anything else (an ext 44, a truncated item), leaving it to the reader, which reports errors as before.
    /// </summary>
    /// <returns>The bytes consumed; <paramref name="index"/> is then the first item not read.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ReadMany(ReadOnlySpan<byte> span, Span<string?> into, ref int index)
    {
        int at = 0;
        while (index < into.Length && at < span.Length)
        {
            byte code = span[at];
            int header;
            long length;
            if (code == MessagePackCode.Nil)
            {
                into[index++] = null;
                at++;
                continue;
            }

            if (code is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr)
            {
                header = 1;
                length = code & 0x1F;
            }
            else if (code == MessagePackCode.Str8 && span.Length - at >= 2)
            {
                header = 2;
                length = span[at + 1];
            }
            else if (code == MessagePackCode.Str16 && span.Length - at >= 3)
            {
                header = 3;
                length = BinaryPrimitives.ReadUInt16BigEndian(span[(at + 1)..]);
            }
            else if (code == MessagePackCode.Str32 && span.Length - at >= 5)
            {
                header = 5;
                length = BinaryPrimitives.ReadUInt32BigEndian(span[(at + 1)..]);
            }
            else
            {
                break;
            }

            if (length > span.Length - at - header)
            {
                break;
            }

            into[index++] = Encoding.UTF8.GetString(span.Slice(at + header, (int)length));
            at += header + (int)length;
        }

        return at;
    }

    /// <summary>Strings up to this long are encoded by <see cref="Write"/> itself (a span of 3 bytes per unit).</summary>
    private const int MaxDirectLength = 1 << 20;

    private static int HeaderLength(int length) => length switch
    {
        < 32 => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    private static void WriteHeader(Span<byte> span, int length)
    {
        switch (length)
        {
            case < 32:
                span[0] = (byte)(MessagePackCode.MinFixStr | length);
                break;
            case <= byte.MaxValue:
                span[0] = MessagePackCode.Str8;
                span[1] = (byte)length;
                break;
            case <= ushort.MaxValue:
                span[0] = MessagePackCode.Str16;
                BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
                break;
            default:
                span[0] = MessagePackCode.Str32;
                BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
                break;
        }
    }

    public static string? Read(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return reader.ReadString();
        }

        var header = reader.ReadExtensionFormatHeader();
        if (header.TypeCode != ExtensionType || header.Length % 2 != 0)
        {
            throw new MessagePackSerializationException($"Expected a string, found extension type {header.TypeCode} of {header.Length} bytes.");
        }

        var units = reader.ReadRaw(header.Length);
        return string.Create((int)(header.Length / 2), units, static (chars, source) => source.CopyTo(MemoryMarshal.AsBytes(chars)));
    }

    /// <summary>True when the next value is a string in the UTF-16 form (so a reader of <c>object</c> knows it).</summary>
    public static bool IsNext(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return false;
        }

        var peek = reader.CreatePeekReader();
        return peek.ReadExtensionFormatHeader().TypeCode == ExtensionType;
    }

    /// <summary>True when every surrogate is paired: vectorized until the first surrogate, which most strings never have.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        int at = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (at >= 0)
        {
            if (!char.IsHighSurrogate(text[at]) || at + 1 >= text.Length || !char.IsLowSurrogate(text[at + 1]))
            {
                return false;
            }

            text = text[(at + 2)..];
            at = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        }

        return true;
    }
}
