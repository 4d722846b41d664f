using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Multiprocessing.Workers;

/// <summary>
/// Cryptographically secure random bytes for names and tokens. On Linux straight from the kernel
/// (<c>getrandom(2)</c>, the source OpenSSL itself draws on): <see cref="RandomNumberGenerator"/> loads and
/// initializes OpenSSL the first time it is used, about 5 ms of a fresh process's first pool. Elsewhere, or
/// if the call is missing or fails, <see cref="RandomNumberGenerator"/>.
/// </summary>
internal static partial class SecureRandom
{
    private const int Eintr = 4;

    /// <summary><paramref name="bytes"/> random bytes in lower-case hex.</summary>
    public static string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        Fill(buffer);
        return LowerHex(buffer);
    }

    /// <summary>
    /// Lower-case hex, by hand: Convert.ToHexStringLower's vectorized code is compiled on first use, in the parent of
    /// every fresh pool (names, tokens), for a few dozen bytes.
    /// </summary>
    public static string LowerHex(ReadOnlySpan<byte> bytes)
    {
        Span<char> text = bytes.Length <= 128 ? stackalloc char[2 * bytes.Length] : new char[2 * bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            text[2 * i] = Digit(bytes[i] >> 4);
            text[(2 * i) + 1] = Digit(bytes[i] & 0xF);
        }

        return new string(text);

        static char Digit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
    }

    public static void Fill(Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux() || !TryKernel(buffer))
        {
            RandomNumberGenerator.Fill(buffer);
        }
    }

    private static unsafe bool TryKernel(Span<byte> buffer)
    {
        try
        {
            fixed (byte* start = buffer)
            {
                int done = 0;
                while (done < buffer.Length)
                {
                    // Flags 0: blocks only until the kernel's pool is first seeded at boot; never returns weak bytes.
                    nint n = GetRandom(start + done, (nuint)(buffer.Length - done), 0);
                    if (n > 0)
                    {
                        done += (int)n;
                    }
                    else if (n == 0 || Marshal.GetLastPInvokeError() != Eintr)
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
