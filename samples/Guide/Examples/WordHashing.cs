using HashWords;
using Multiprocessing;

namespace Guide.Examples;

/// <summary>The guide's "Multiprocessing Pool Example": hash a dictionary of words, serially and with <c>map()</c>.</summary>
internal static class WordHashing
{
    /// <summary>The guide hashes 1m_words.txt (1,049,938 words); this many generated words keep the example to a few seconds.</summary>
    private const int GeneratedWords = 200_000;

    private const string UnixWords = "/usr/share/dict/words";

    public static Example[] Examples =>
    [
        new("hash-words-serial", "Hash a Dictionary of Words One-By-One", Serial),
        new("hash-words", "Hash a Dictionary of Words Concurrently with map()", Concurrent),
    ];

    // The guide's hash_word: sha512(word.encode('utf-8')).hexdigest().
    private static string HashWord(string word) => WordHash.HashWord(word);

    private static int Serial()
    {
        var (words, path) = LoadWords();
        Console.WriteLine($"Loaded {words.Length} words from {path}");
        var knownWords = new HashSet<string>(words.Select(HashWord));
        Console.WriteLine($"Done, with {knownWords.Count} hashes");
        return 0;
    }

    private static int Concurrent()
    {
        var (words, path) = LoadWords();
        Console.WriteLine($"Loaded {words.Length} words from {path}");
        HashSet<string> knownWords;
        // The guide uses Pool(4) for its 4 cores and says to use the number of cores you have: the default.
        using (var pool = new Pool())
        {
            knownWords = [.. pool.Map(HashWord, words)];
        }

        Console.WriteLine($"Done, with {knownWords.Count} hashes");
        return 0;
    }

    // The guide's load_words reads 1m_words.txt with readlines(), which keeps each line's '\n' (so it is hashed too).
    private static (string[] Words, string Path) LoadWords()
    {
        if (Environment.GetEnvironmentVariable("GUIDE_WORDS") is { Length: > 0 } file)
        {
            return ([.. File.ReadAllLines(file).Select(w => w + "\n")], file);
        }

        if (File.Exists(UnixWords))
        {
            return ([.. File.ReadAllLines(UnixWords).Select(w => w + "\n")], UnixWords);
        }

        Py.Note($"no 1m_words.txt (set GUIDE_WORDS to a word list) and no {UnixWords}: {GeneratedWords:N0} generated words instead (samples/HashWords' generator)");
        return ([.. WordList.Generate(GeneratedWords).Select(w => w + "\n")], "the generator");
    }
}
