using System.Diagnostics;
using Multiprocessing.Protocol;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

public sealed class ParentDeathTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void ParentKilled_WorkersExitPromptly_NoOrphans()
    {
        using var gate = new Gate();
        string pidFile = gate.Path + ".pids";
        using var pool = new Pool(1);

        // The outer worker is a real parent: it runs a pool of its own. Kill it with SIGKILL and its workers must go.
        var held = pool.ApplyAsync(NestedTasks.HoldNestedPool, pidFile, gate.Path);
        Assert.True(Gate.WaitOpen(pidFile, Timeout), "the nested pool never started");
        int[] pids = [.. File.ReadAllText(pidFile).Split(' ').Select(int.Parse)];
        int parent = pids[0];
        int[] orphans = pids[1..];
        Assert.NotEmpty(orphans);
        Assert.All(orphans, p => Assert.False(IsGone(p)));

        var clock = Stopwatch.StartNew();
        using (var victim = Process.GetProcessById(parent))
        {
            victim.Kill();
        }

        Assert.True(SpinWait.SpinUntil(() => orphans.All(IsGone), TimeSpan.FromSeconds(10)), "workers outlived their parent");
        Console.WriteLine($"workers gone {clock.ElapsedMilliseconds} ms after their parent was killed");
        Assert.Throws<WorkerCrashedException>(() => held.Get(Timeout));
        File.Delete(pidFile);
    }

    private static bool IsGone(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}

public sealed class FrameReaderFuzzTests
{
    [Fact]
    public void FrameReader_MillionRandomAndMutatedInputs_OnlyCleanEndsOrInvalidData()
    {
        var random = new Random(20261124);
        byte[] valid = ValidFrames();
        int invalid = 0, clean = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 48)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                int mutations = random.Next(1, 4);
                for (int m = 0; m < mutations; m++)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                if (random.Next(4) == 0)
                {
                    Array.Resize(ref input, random.Next(input.Length));
                }
            }

            using var reader = new FrameReader(new MemoryStream(input));
            try
            {
                int frames = 0;
                while (reader.TryRead(out _, out var body))
                {
                    Assert.True(body.Length < input.Length);
                    Assert.True(++frames <= input.Length);
                }

                clean++;
            }
            catch (InvalidDataException)
            {
                invalid++;
            }
        }

        Assert.True(invalid > 100_000 && clean > 1000, $"invalid {invalid}, clean {clean}");
    }

    [Fact]
    public void FrameReader_ImpossibleLengthOrUnknownKind_ThrowsInvalidDataWithReason()
    {
        Assert.Contains("impossible frame length", Read([0, 0, 0, 0x80, 1]).Message);
        Assert.Contains("unknown frame kind", Read([1, 0, 0, 0, 200]).Message);
        Assert.Contains("ended inside a frame", Read([10, 0, 0, 0, 7, 1, 2]).Message);
        Assert.Contains("ended inside a frame", Read([10, 0]).Message);

        static InvalidDataException Read(byte[] bytes)
        {
            using var reader = new FrameReader(new MemoryStream(bytes));
            return Assert.Throws<InvalidDataException>(() => reader.TryRead(out _, out _));
        }
    }

    private static byte[] ValidFrames()
    {
        using var buffer = new PooledBufferWriter();
        FrameWriter.Empty(buffer, FrameKind.Ready);
        int frame = FrameWriter.Begin(buffer, FrameKind.Result);
        FrameWriter.Int64(buffer, 42);
        FrameWriter.Int64(buffer, 1000);
        FrameWriter.Int32(buffer, 0);
        FrameWriter.Int32(buffer, 3);
        FrameWriter.Int32(buffer, 0);
        buffer.Write([0x93, 1, 2]);
        FrameWriter.End(buffer, frame);
        FrameWriter.Empty(buffer, FrameKind.Shutdown);
        return buffer.WrittenSpan.ToArray();
    }
}
