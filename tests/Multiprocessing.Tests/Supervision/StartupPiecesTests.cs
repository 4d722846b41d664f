using System.Net.Sockets;
using Multiprocessing.Workers;

namespace Multiprocessing.Tests.Supervision;

/// <summary>The pieces a pool's start is built from that have no pool-level test of their own.</summary>
public sealed class StartupPiecesTests
{
    [Fact]
    public void SecureRandom_Hex_IsLowerCaseHexOfTheLengthAskedAndNeverRepeats()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 100; i++)
        {
            string hex = SecureRandom.Hex(16);
            Assert.Equal(32, hex.Length);
            Assert.DoesNotContain(hex, c => !char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c));
            Assert.True(seen.Add(hex), "the same 16 random bytes twice");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(300)]
    public void SecureRandom_LowerHex_IsWhatTheBclWrites(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        bytes.AsSpan(0, Math.Min(length, 2)).Fill(0xF0);
        Assert.Equal(Convert.ToHexStringLower(bytes), SecureRandom.LowerHex(bytes));
    }

    [Fact]
    public void PoolOptions_AnUndefinedStartMethod_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { Processes = 1, StartMethod = (StartMethod)7 }));
        Assert.Contains("StartMethod 7 is not a defined value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listener_ConnectionBeforeStart_WaitsInTheBacklogAndIsHandedOverOnceStarted()
    {
        var handedOver = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new WorkerListener((w, socket, reader) =>
        {
            reader.Dispose();
            socket.Dispose();
            handedOver.TrySetResult(w.Index);
        });
        string token = WorkerListener.NewToken();
        using var worker = new WorkerProcess(9, new System.Diagnostics.Process(), token, WorkerStatusSlot.Create(Path.Combine(listener.Directory, "w9")));
        listener.Expect(worker);

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(listener.SocketPath));
        SendHello(client, 9, token);
        Assert.False(handedOver.Task.IsCompleted, "handed over before the listener was started");

        listener.Start();

        Assert.True(handedOver.Task.Wait(TimeSpan.FromSeconds(30)), "the waiting connection was never accepted");
        Assert.Equal(9, handedOver.Task.Result);
    }

    [Fact]
    public void Listener_DisposedBeforeStart_RemovesItsDirectory()
    {
        var listener = new WorkerListener((_, socket, reader) => socket.Dispose());
        string directory = listener.Directory;
        Assert.True(File.Exists(listener.SocketPath) || Directory.Exists(directory));

        listener.Dispose();

        Assert.False(Directory.Exists(directory));
    }

    private static void SendHello(Socket client, int index, string token)
    {
        using var body = new Multiprocessing.Protocol.PooledBufferWriter();
        Multiprocessing.Protocol.Messages.HelloMessage.Write(body, index, Environment.ProcessId, Convert.FromHexString(token));
        client.Send(body.WrittenSpan);
    }
}
