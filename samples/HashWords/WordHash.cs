using System.Security.Cryptography;
using System.Text;

namespace HashWords;

/// <summary>The guide's task, shared with the benchmark (which compiles this file in).</summary>
public static class WordHash
{
    /// <summary>The SHA-512 of a word's UTF-8 bytes, as lower-case hex (Python's <c>sha512(w.encode()).hexdigest()</c>).</summary>
    /// <param name="word">The word.</param>
    /// <returns>128 hex digits.</returns>
    public static string HashWord(string word)
    {
        int max = Encoding.UTF8.GetMaxByteCount(word.Length);
        Span<byte> bytes = max <= 256 ? stackalloc byte[max] : new byte[max];
        int length = Encoding.UTF8.GetBytes(word, bytes);
        Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(bytes[..length], digest);
        return Convert.ToHexStringLower(digest);
    }
}
