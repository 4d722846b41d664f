using BenchmarkDotNet.Attributes;
using Multiprocessing.Protocol;

namespace Multiprocessing.Micro;

/// <summary>Writing and reading many small frames (the shape of a busy Apply/Imap connection).</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int Frames = 10_000;
    private readonly PooledBufferWriter _buffer = new();
    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        WriteFrames();
        _stream = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int WriteFrames()
    {
        _buffer.Clear();
        for (int i = 0; i < Frames; i++)
        {
            int frame = FrameWriter.Begin(_buffer, FrameKind.Chunk);
            FrameWriter.Int64(_buffer, i);
            FrameWriter.Int32(_buffer, 1);
            FrameWriter.Int32(_buffer, 1);
            _buffer.Write([0x91, 0x2a]);
            FrameWriter.End(_buffer, frame);
        }

        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long ReadFrames()
    {
        using var reader = new FrameReader(new MemoryStream(_stream, writable: false));
        long sum = 0;
        while (reader.TryRead(out _, out var body))
        {
            sum += body.Length;
        }

        return sum;
    }
}
