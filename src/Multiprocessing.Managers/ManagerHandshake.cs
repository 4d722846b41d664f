using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Multiprocessing.Managers;

/// <summary>
/// Mutual challenge-response over HMAC-SHA256, as Python's <c>authkey</c> does: the key itself never
/// crosses the socket. The server sends <c>"MPM1" + 32 random bytes</c>; the client answers with
/// <c>HMAC(key, "client" + challenge)</c>, its own 32-byte challenge, its session id (16 bytes) and pid;
/// the server checks the answer in constant time and either drops the connection without a word or
/// answers <c>HMAC(key, "server" + client challenge)</c>, which the client checks in turn (so a proxy never
/// talks to an impostor listening at the path).
/// </summary>
internal static class ManagerHandshake
{
    public const int ChallengeLength = 32;
    public const int MacLength = 32;
    public const int KeyLength = 32;
    public const int ClientAnswerLength = MacLength + ChallengeLength + 16 + 4;

    private static readonly byte[] s_magic = "MPM1"u8.ToArray();
    private static readonly byte[] s_clientLabel = Encoding.ASCII.GetBytes("client");
    private static readonly byte[] s_serverLabel = Encoding.ASCII.GetBytes("server");

    /// <summary>This process's session: the server releases what a session holds when its last connection closes.</summary>
    public static readonly Guid ProcessSession = Guid.NewGuid();

    /// <summary>Server side. Returns the client's session and pid, or null to drop the connection.</summary>
    public static (Guid Session, int Pid)? Accept(Socket socket, ReadOnlySpan<byte> key)
    {
        Span<byte> hello = stackalloc byte[4 + ChallengeLength];
        s_magic.CopyTo(hello);
        RandomNumberGenerator.Fill(hello[4..]);
        ManagerFraming.SendAll(socket, hello);

        Span<byte> answer = stackalloc byte[ClientAnswerLength];
        if (!ManagerFraming.ReceiveExactly(socket, answer, allowEnd: true))
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(key, s_clientLabel, hello[4..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, answer[..MacLength]))
        {
            return null;
        }

        Span<byte> proof = stackalloc byte[MacLength];
        Mac(key, s_serverLabel, answer.Slice(MacLength, ChallengeLength), proof);
        ManagerFraming.SendAll(socket, proof);
        var session = new Guid(answer.Slice(MacLength + ChallengeLength, 16));
        int pid = BinaryPrimitives.ReadInt32LittleEndian(answer[(MacLength + ChallengeLength + 16)..]);
        return (session, pid);
    }

    /// <summary>Client side. Throws <see cref="ManagerConnectionException"/> when either side's proof fails.</summary>
    public static void Connect(Socket socket, ReadOnlySpan<byte> key, string endpoint)
    {
        Span<byte> hello = stackalloc byte[4 + ChallengeLength];
        if (!ManagerFraming.ReceiveExactly(socket, hello, allowEnd: true) || !hello[..4].SequenceEqual(s_magic))
        {
            throw new ManagerConnectionException($"The socket at {endpoint} is not a Multiprocessing manager.");
        }

        Span<byte> answer = stackalloc byte[ClientAnswerLength];
        Mac(key, s_clientLabel, hello[4..], answer[..MacLength]);
        var challenge = answer.Slice(MacLength, ChallengeLength);
        RandomNumberGenerator.Fill(challenge);
        ProcessSession.TryWriteBytes(answer.Slice(MacLength + ChallengeLength, 16));
        BinaryPrimitives.WriteInt32LittleEndian(answer[(MacLength + ChallengeLength + 16)..], Environment.ProcessId);
        ManagerFraming.SendAll(socket, answer);

        Span<byte> proof = stackalloc byte[MacLength];
        if (!ManagerFraming.ReceiveExactly(socket, proof, allowEnd: true))
        {
            throw new ManagerConnectionException(
                $"The manager at {endpoint} refused the connection: the proxy's key does not match the manager's.");
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(key, s_serverLabel, challenge, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, proof))
        {
            throw new ManagerConnectionException($"The process listening at {endpoint} could not prove it holds the manager's key.");
        }
    }

    private static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> challenge, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[16 + ChallengeLength];
        label.CopyTo(message);
        challenge.CopyTo(message[label.Length..]);
        HMACSHA256.HashData(key, message[..(label.Length + challenge.Length)], destination);
    }
}
