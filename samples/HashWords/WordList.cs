namespace HashWords;

/// <summary>
/// The word list of the "hash a dictionary of words" example: read from a file, or generated
/// deterministically. The generator is reproduced byte for byte by bench/python/pool_bench.py
/// (<c>generate_words</c>), so both languages hash the very same words.
/// </summary>
/// <remarks>
/// Generator: a 64-bit xorshift (13, 7, 17) seeded with 0x9E3779B97F4A7C15; <c>Next()</c> advances the
/// state and returns it. Per word: length = 3 + Next() % 10, then that many letters 'a' + Next() % 26.
/// Check values (bench/python/README.md): the first words are "kkymhdmdsrzn vhm bpljksfepn", and the
/// SHA-256 of the first 1,000,000 words, each followed by '\n', is
/// 580e092af6c99b536e473561a5a4866b2a23f18b9f91f4867e51999936f2fc8f.
/// </remarks>
public static class WordList
{
    /// <summary>The generator's seed.</summary>
    public const ulong Seed = 0x9E3779B97F4A7C15;

    /// <summary>Generates <paramref name="count"/> pseudo-random lower-case words of 3 to 12 letters.</summary>
    /// <param name="count">How many words.</param>
    /// <returns>The words; the same for the same count, on every machine.</returns>
    public static string[] Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var words = new string[count];
        ulong x = Seed;
        Span<char> letters = stackalloc char[12];
        for (int i = 0; i < words.Length; i++)
        {
            int length = 3 + (int)(Next(ref x) % 10);
            for (int j = 0; j < length; j++)
            {
                letters[j] = (char)('a' + (int)(Next(ref x) % 26));
            }

            words[i] = new string(letters[..length]);
        }

        return words;
    }

    /// <summary>Reads a word list: one word per line (UTF-8), line ends dropped, as Python's <c>readlines</c> plus <c>rstrip('\r\n')</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The words, in file order.</returns>
    public static string[] Load(string path) => File.ReadAllLines(path, System.Text.Encoding.UTF8);

    /// <summary>The SHA-256 (lower-case hex) of the words, each followed by '\n', in UTF-8: the Python benchmark's <c>words_sha256</c>.</summary>
    /// <param name="words">The words.</param>
    /// <returns>The digest as 64 hex digits.</returns>
    public static string Digest(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        byte[] newline = [(byte)'\n'];
        foreach (string w in words)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(w));
            sha.AppendData(newline);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static ulong Next(ref ulong x)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
}
