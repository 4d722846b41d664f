using BenchmarkDotNet.Attributes;
using Multiprocessing.Protocol;
using Multiprocessing.Serialization;

namespace Multiprocessing.Micro;

/// <summary>
/// One side of a large array's trip: serialized inline into a buffer then copied into a shared ring (what a
/// frame without out-of-band blobs costs), against a 12-byte reference plus one copy from the array into the
/// ring (with them), and the receiving side's copy out of the ring.
/// </summary>
public class LargePayloadBenchmarks
{
    private readonly MessagePackPoolSerializer _serializer = new();
    private readonly PooledBufferWriter _buffer = new();
    private readonly OutOfBandBlobs _blobs = new();
    private byte[] _payload = [];
    private string _base = string.Empty;
    private BulkSender? _sender;
    private BulkReceiver? _receiver;

    [Params(1 << 20, 16 << 20, 64 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[Size];
        new Random(1).NextBytes(_payload);
        _base = BulkChannel.NewBasePath(0) ?? throw new InvalidOperationException("These benchmarks need /dev/shm.");
        _sender = new BulkSender(_base + ".p");
        _receiver = new BulkReceiver(_base + ".p");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
        foreach (string path in Directory.GetFiles(Path.GetDirectoryName(_base)!, Path.GetFileName(_base) + "*"))
        {
            File.Delete(path);
        }
    }

    [Benchmark(Baseline = true)]
    public int InlineThenRing()
    {
        _buffer.Clear(int.MaxValue);
        _serializer.Serialize(_buffer, _payload);
        return Send(_buffer.WrittenSpan, null);
    }

    [Benchmark]
    public int OutOfBandIntoRing()
    {
        _buffer.Clear(int.MaxValue);
        _blobs.Clear();
        using (OutOfBandBlobs.Collect(_blobs))
        {
            _serializer.Serialize(_buffer, _payload);
        }

        return Send(_buffer.WrittenSpan, _blobs);
    }

    private int Send(ReadOnlySpan<byte> body, OutOfBandBlobs? blobs)
    {
        int length = 1 + body.Length + (int)(blobs?.Length ?? 0);
        if (!_sender!.TryReserve(length, out int generation, out long position, out var target))
        {
            throw new InvalidOperationException("The ring had no room.");
        }

        target[0] = (byte)FrameKind.Result;
        body.CopyTo(target[1..]);
        blobs?.CopyTo(target[(1 + body.Length)..]);
        Span<byte> bulk = stackalloc byte[16];
        BitConverter.TryWriteBytes(bulk, generation);
        BitConverter.TryWriteBytes(bulk[4..], position);
        BitConverter.TryWriteBytes(bulk[12..], length);
        var frame = _receiver!.Open(bulk, out _, out var lease);
        using (lease)
        {
            using (OutOfBandBlobs.Read(frame[body.Length..]))
            {
                return _serializer.Deserialize<byte[]>(frame[..body.Length]).Length;
            }
        }
    }
}
