namespace Multiprocessing.Tests.Support;

/// <summary>Random UTF-16 strings, many of them ill-formed (lone or reversed surrogates), from a fixed seed.</summary>
public static class RandomStrings
{
    public static string[] Make(int count, int seed = 20261201)
    {
        var random = new Random(seed);
        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (int c = 0; c < chars.Length; c++)
            {
                chars[c] = random.Next(10) switch
                {
                    < 3 => (char)random.Next(0x20, 0x7F),
                    3 => (char)random.Next(0x80, 0xD800),
                    4 => (char)random.Next(0xE000, 0x10000),
                    5 or 6 => (char)random.Next(0xD800, 0xDC00),
                    _ => (char)random.Next(0xDC00, 0xE000),
                };
            }

            result[i] = new string(chars);
        }

        // The cases that matter most, whatever the seed gives: a split emoji either way, a pair, the empty string.
        string emoji = "\U0001F600";
        return [.. result, "a\uD800b", "\uDC00", "x" + emoji[0], emoji[1] + "y", emoji, string.Empty];
    }
}
