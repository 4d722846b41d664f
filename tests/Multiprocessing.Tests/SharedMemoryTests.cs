using Multiprocessing.Protocol;
using Multiprocessing.Serialization;
using Multiprocessing.Tests.Support;

namespace Multiprocessing.Tests;

/// <summary>The shared-memory rings that carry large frames between the parent and a worker.</summary>
public sealed class SharedMemoryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void Pool_LargeFrames_GoThroughTheRingsBothWays()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1 });
        long sentBefore = BulkSender.TotalFramesSent;
        long receivedBefore = BulkReceiver.TotalFramesReceived;
        for (int i = 0; i < 3; i++)
        {
            byte[] bytes = Tasks.MakeBytes(i, 2 << 20);
            Assert.Equal(bytes.Reverse(), pool.Apply(Tasks.Reverse, bytes));
        }

        // Other tests may add to these process-wide counts, never take from them.
        Assert.True(BulkSender.TotalFramesSent - sentBefore >= 3, "the arguments did not go through the ring");
        Assert.True(BulkReceiver.TotalFramesReceived - receivedBefore >= 3, "the results did not come through the ring");
    }

    [Fact]
    public void ApplyAsync_LargeArrayChangedAfterTheCall_TaskSeesItAsItWasAtTheCall()
    {
        // The one worker is held, so the task cannot have been sent when the caller reuses its array:
        // an asynchronous call must have taken the array's contents at the call (unlike ThreadedPool, which shares
        // the caller's objects, as Python's ThreadPool does).
        using var pool = new Pool(new PoolOptions { Processes = 1 });
        using var gate = new Gate();
        var blocker = pool.ApplyAsync(Tasks.WaitForGate, gate.Path);
        byte[] bytes = Tasks.MakeBytes(3, 2 << 20);
        byte[] original = (byte[])bytes.Clone();
        var reversed = pool.ApplyAsync(Tasks.Reverse, bytes);
        var mapped = pool.MapAsync(Tasks.Reverse, [bytes]);
        Array.Fill(bytes, (byte)0xEE);
        gate.Open();
        blocker.Get(Timeout);
        Assert.Equal(original.Reverse(), reversed.Get(Timeout));
        Assert.Equal(original.Reverse(), mapped.Get(Timeout)[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pool_BlockingCallsWithLargeArrays_SendThemOutOfBandAndGetThemBackWhole(bool sharedMemory)
    {
        using var pool = new Pool(new PoolOptions { Processes = 2, SharedMemory = sharedMemory });
        var inputs = Enumerable.Range(0, 5).Select(i => Tasks.MakeBytes(i, (2 << 20) + i)).ToList();
        long before = OutOfBandBlobs.TotalCollected;
        Assert.Equal(inputs[0].Reverse(), pool.Apply(Tasks.Reverse, inputs[0]));
        Assert.True(OutOfBandBlobs.TotalCollected > before, "the blocking call's array was not taken out of band");
        var results = pool.Map(Tasks.Reverse, inputs, chunksize: 2);
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(inputs[i].Reverse(), results[i]);
        }

        var longs = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 200_000 + i).Select(v => (long)v * i).ToArray()).ToList();
        var sums = pool.Starmap(Tasks.Add2Arrays, longs.Select(l => (l, l)));
        for (int i = 0; i < longs.Count; i++)
        {
            Assert.Equal(longs[i].Select(v => v * 2), sums[i]);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pool_ResultsWithSeveralLargeArrays_ComeBackWhole(bool sharedMemory)
    {
        // Each result holds two arrays large enough to travel out of band and one small one inline; a chunk
        // of three results carries six blobs after its frame.
        using var pool = new Pool(new PoolOptions { Processes = 2, SharedMemory = sharedMemory });
        var results = pool.Map(Tasks.Parts, Enumerable.Range(1, 9), chunksize: 3);
        for (int i = 0; i < 9; i++)
        {
            var expected = Tasks.Parts(i + 1);
            Assert.Equal(expected.Bytes, results[i].Bytes);
            Assert.Equal(expected.Longs, results[i].Longs);
            Assert.Equal(expected.Name, results[i].Name);
            Assert.Equal(expected.Small, results[i].Small);
        }
    }

    [Fact]
    public void OutOfBand_BlocksLargeEnoughToCopyInParallel_ReadBackExactly()
    {
        // 16 MB and more is copied in 4 MB slices on several threads; the sizes are not multiples of a slice.
        RoundTrip(Tasks.MakeBytes(5, (20 << 20) + 3));
        RoundTrip(Enumerable.Range(0, (3 << 20) + 1).Select(i => (long)i * 7).ToArray());
        RoundTrip(Enumerable.Range(0, (10 << 20) + 5).Select(i => (char)i).ToArray());

        static void RoundTrip<T>(T[] value)
        {
            var serializer = new MessagePackPoolSerializer();
            var (bytes, section, count) = OutOfBand.Serialize(serializer, value);
            Assert.Equal(1, count);
            using (OutOfBandBlobs.Read(section))
            {
                Assert.Equal(value, serializer.Deserialize<T[]>(bytes));
            }
        }
    }

    [Fact]
    public void Pool_ArrayLargerThanTheParallelCopyThreshold_RoundTripsThroughTheRing()
    {
        using var pool = new Pool(new PoolOptions { Processes = 1 });
        byte[] bytes = Tasks.MakeBytes(11, (24 << 20) + 7);
        Assert.Equal(bytes.Reverse(), pool.Apply(Tasks.Reverse, bytes));
    }

    [Fact]
    public void OutOfBand_ReferenceReadWithoutItsSection_FailsClearly()
    {
        var serializer = new MessagePackPoolSerializer();
        var blobs = new OutOfBandBlobs();
        using var buffer = new PooledBufferWriter();
        using (OutOfBandBlobs.Collect(blobs))
        {
            serializer.Serialize(buffer, new byte[2 << 20]);
        }

        Assert.Equal(1, blobs.Count);
        Assert.True(buffer.WrittenCount < 100, "the array was written inline");
        var ex = Assert.ThrowsAny<Exception>(() => { _ = serializer.Deserialize<byte[]>(buffer.WrittenMemory); });
        Assert.Contains("does not lie within its frame", ex.GetBaseException().Message);

        // With the section installed, the same bytes read back.
        var section = new byte[2 << 20];
        section[5] = 7;
        using (OutOfBandBlobs.Read(section))
        {
            Assert.Equal(section, serializer.Deserialize<byte[]>(buffer.WrittenMemory));
        }
    }

    [Fact]
    public void Pool_SharedMemoryOff_LargeFramesStillRoundTrip()
    {
        using var pool = new Pool(new PoolOptions { Processes = 2, SharedMemory = false });
        var inputs = Enumerable.Range(0, 6).Select(i => Tasks.MakeBytes(i, (2 << 20) + i)).ToList();
        var results = pool.Map(Tasks.Reverse, inputs, chunksize: 1);
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(inputs[i].Reverse(), results[i]);
        }
    }

    [Fact]
    public void Ring_FramesReleasedOutOfOrder_SpaceComesBackOnlyForTheReleasedPrefix()
    {
        using var pair = new RingPair();
        var leases = new List<BulkLease>();
        var bodies = new List<byte[]>();
        int size = 6 << 20;

        // The first ring is 2 × 8 MB = 16 MB: two 6 MB frames fit, a third does not until the first is released.
        for (int i = 0; i < 2; i++)
        {
            var (lease, body) = pair.Send(size, (byte)(i + 1));
            leases.Add(lease);
            bodies.Add(body);
        }

        Assert.False(pair.Sender.TryReserve(size, out _, out _, out _));
        leases[1].Dispose();
        Assert.False(pair.Sender.TryReserve(size, out _, out _, out _));
        leases[0].Dispose();
        var (third, thirdBody) = pair.Send(size, 3);
        Assert.Equal(3, thirdBody[0]);
        Assert.Equal(bodies[0].Length, thirdBody.Length);
        third.Dispose();
    }

    [Fact]
    public void Ring_ALargerFrameWhenEmpty_StartsANewGenerationTheReceiverFollows()
    {
        using var pair = new RingPair();
        var (first, _) = pair.Send(2 << 20, 1);
        first.Dispose();
        var (second, body) = pair.Send(40 << 20, 2);
        Assert.Equal(40 << 20, body.Length + 1);
        Assert.All(body.AsSpan(0, 1000).ToArray(), b => Assert.Equal(2, b));
        second.Dispose();

        // The receiver removed every name it mapped: nothing is left in the directory.
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(pair.Base)!, Path.GetFileName(pair.Base) + "*"));
    }

    [Fact]
    public void Ring_LargerFrameWhileOthersAreHeld_GoesInline()
    {
        using var pair = new RingPair();
        var (held, _) = pair.Send(2 << 20, 1);
        Assert.False(pair.Sender.TryReserve(64 << 20, out _, out _, out _));
        held.Dispose();
        Assert.True(pair.Sender.TryReserve(64 << 20, out _, out _, out _));
    }

    [Fact]
    public void Ring_CannotBeCreated_FramesGoInline()
    {
        // A ring that cannot be made (here: no such directory; in a container: a /dev/shm too small for the
        // ring, which preallocation reports at once) sends every frame through the socket from then on.
        using var sender = new BulkSender(Path.Combine(Path.GetTempPath(), "mp-no-such-dir-" + Guid.NewGuid().ToString("N"), "ring.p"));
        Assert.False(sender.TryReserve(2 << 20, out _, out _, out _));
        Assert.False(sender.TryReserve(2 << 20, out _, out _, out _));
    }

    [Fact]
    public void Ring_HasPagesOnlyWhereFramesWentWhereTheKernelCanBackThemOnDemand()
    {
        // A ring is sized for two frames in flight; a single frame must not cost the memory of two.
        using var pair = new RingPair();
        var (lease, body) = pair.Send(2 << 20, 9);
        Assert.True(body.AsSpan().IndexOfAnyExcept((byte)9) < 0);
        long expected = SharedMemoryFile.CanBackOnDemand ? 2 << 20 : pair.Sender.Capacity;
        Assert.Equal(expected, pair.Sender.BackedBytes);
        lease.Dispose();

        // The next frame after a release starts at offset 0 again, on the pages it already has.
        var (second, _) = pair.Send(1 << 20, 3);
        Assert.Equal(expected, pair.Sender.BackedBytes);
        second.Dispose();
    }

    [Fact]
    public void Ring_NoMemoryForAFrame_FrameGoesInlineInsteadOfRaisingSigbus()
    {
        if (!SharedMemoryFile.CanBackOnDemand)
        {
            // Rings are then preallocated whole, which reports a full /dev/shm when one is made. Only kernels before
            // MADV_POPULATE_WRITE (5.14) may lack it.
            Assert.True(Environment.OSVersion.Version < new Version(5, 14), $"no MADV_POPULATE_WRITE on {Environment.OSVersion}");
            return;
        }

        // A ring's file cut short under its mapping: writing past the end would raise SIGBUS, as writing where a
        // full /dev/shm has no page for it would. Backing the range first reports it, and the frame goes inline.
        using var pair = new RingPair();
        Assert.True(pair.Sender.TryReserve(2 << 20, out int generation, out _, out _));
        using (var file = new FileStream(pair.Base + ".p" + generation, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(BulkRing.HeaderSize + (4 << 20));
        }

        Assert.False(pair.Sender.TryReserve(8 << 20, out _, out _, out _));
        Assert.Equal(2 << 20, pair.Sender.BackedBytes);
        Assert.False(pair.Sender.TryReserve(2 << 20, out _, out _, out _));
    }

    [Fact]
    public void Ring_SmallFrames_NeverUseTheRing()
    {
        using var pair = new RingPair();
        Assert.False(pair.Sender.TryReserve(BulkSender.Threshold - 1, out _, out _, out _));
    }

    [Theory]
    [InlineData(1, -1L, 100)]
    [InlineData(1, 0L, 0)]
    [InlineData(1, 0L, (16 << 20) + 1)]
    [InlineData(0, 0L, 100)]
    public void Ring_CorruptBulkFrame_IsInvalidData(int generation, long position, int length)
    {
        using var pair = new RingPair();
        var (lease, _) = pair.Send(2 << 20, 1);
        lease.Dispose();
        var bulk = new byte[16];
        BitConverter.TryWriteBytes(bulk.AsSpan(0), generation);
        BitConverter.TryWriteBytes(bulk.AsSpan(4), position);
        BitConverter.TryWriteBytes(bulk.AsSpan(12), length);
        Assert.Throws<InvalidDataException>(() => pair.Receiver.Open(bulk, out _, out _));
    }

    [Fact]
    public void FrameReader_BulkFrameWithoutARing_IsInvalidData()
    {
        using var buffer = new PooledBufferWriter();
        BulkSender.WriteFrame(buffer, 1, 0, 100);
        using var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));
        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _, out _));
    }

    [Fact]
    public void FrameReader_BulkFrame_ReadsTheFrameInPlaceAndReleasesItOnTheNextRead()
    {
        using var pair = new RingPair();
        Assert.True(pair.Sender.TryReserve(2 << 20, out int generation, out long position, out var target));
        target[0] = (byte)FrameKind.Result;
        target[1..].Fill(42);
        using var buffer = new PooledBufferWriter();
        BulkSender.WriteFrame(buffer, generation, position, 2 << 20);
        FrameWriter.Empty(buffer, FrameKind.Ready);
        using var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray())) { Bulk = pair.Receiver };

        Assert.True(reader.TryRead(out var kind, out var body));
        Assert.Equal(FrameKind.Result, kind);
        Assert.True(reader.LastBodyIsShared);
        Assert.Equal((2 << 20) - 1, body.Length);
        Assert.True(body.Span.IndexOfAnyExcept((byte)42) < 0);

        // Held: a second frame of that size has no room beside... until the next read lets go of it.
        Assert.True(reader.TryRead(out kind, out _));
        Assert.Equal(FrameKind.Ready, kind);
        Assert.False(reader.LastBodyIsShared);
        Assert.True(pair.Sender.TryReserve(15 << 20, out _, out _, out _));
    }

    [Fact]
    public void Pool_WorkerCrashesAmidLargeFrames_OthersSucceedAndNoRingFileOutlivesThePool()
    {
        string[] bases;
        using (var pool = new Pool(new PoolOptions { Processes = 2 }))
        {
            var results = Enumerable.Range(0, 12).Select(i => pool.ApplyAsync(Tasks.MakeBytesOrCrash, i)).ToList();
            for (int i = 0; i < results.Count; i++)
            {
                if (i == 7)
                {
                    Assert.Throws<WorkerCrashedException>(() => results[i].Get(Timeout));
                }
                else
                {
                    Assert.Equal(Tasks.MakeBytes(i, 3 << 20), results[i].Get(Timeout));
                }
            }

            pool.Close();
            Assert.True(pool.Join(Timeout));
            bases = [.. ((Workers.ProcessExecutor)((PoolBase)pool).Executor).RingBases];
        }

        // Two first workers and the crashed one's replacement; none of their ring files may be left.
        Assert.True(bases.Length >= 3, $"{bases.Length} workers had rings");
        foreach (string b in bases)
        {
            Assert.Empty(Directory.GetFiles("/dev/shm", Path.GetFileName(b) + ".*"));
        }
    }

    /// <summary>A sender and a receiver on one fresh base name, in this process.</summary>
    private sealed class RingPair : IDisposable
    {
        public RingPair()
        {
            Base = BulkChannel.NewBasePath(999) ?? throw new InvalidOperationException("no /dev/shm");
            Sender = new BulkSender(Base + ".p");
            Receiver = new BulkReceiver(Base + ".p");
        }

        public string Base { get; }

        public BulkSender Sender { get; }

        public BulkReceiver Receiver { get; }

        public (BulkLease Lease, byte[] Body) Send(int length, byte fill)
        {
            Assert.True(Sender.TryReserve(length, out int generation, out long position, out var target));
            target[0] = (byte)FrameKind.Result;
            target[1..].Fill(fill);
            var bulk = new byte[16];
            BitConverter.TryWriteBytes(bulk.AsSpan(0), generation);
            BitConverter.TryWriteBytes(bulk.AsSpan(4), position);
            BitConverter.TryWriteBytes(bulk.AsSpan(12), length);
            var body = Receiver.Open(bulk, out var kind, out var lease);
            Assert.Equal(FrameKind.Result, kind);
            return (lease, body.ToArray());
        }

        public void Dispose()
        {
            Sender.Dispose();
            Receiver.Dispose();
            foreach (string path in Directory.GetFiles("/dev/shm", Path.GetFileName(Base) + "*"))
            {
                File.Delete(path);
            }
        }
    }
}
