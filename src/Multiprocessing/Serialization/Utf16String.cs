using System.Buffers;
using System.Runtime.InteropServices;
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

    public static void Write(ref MessagePackWriter writer, string? value)
    {
        if (value is null || IsWellFormed(value))
        {
            writer.Write(value);
            return;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, bytes.Length));
        writer.WriteRaw(bytes);
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
